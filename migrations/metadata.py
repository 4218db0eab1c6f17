"""Every part's models, gathered on one MetaData for Alembic."""

from __future__ import annotations

import renewals.models as renewals_models

target_metadata = renewals_models.Base.metadata

__all__ = ["target_metadata"]
