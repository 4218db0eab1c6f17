"""The reports' message catalog (``reports/locale``): column names and report lines."""

from __future__ import annotations

from pathlib import Path

from renewals.i18n import Catalog

__all__ = ["catalog"]

LOCALE = Path(__file__).parent / "locale"


def catalog() -> Catalog:
    return Catalog(LOCALE, "reports")
