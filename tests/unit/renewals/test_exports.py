"""The public names of the cadence and quoting packages exist and nothing private leaks."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["renewals.cadence", "renewals.quoting"])
def test_all_names_resolve(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    for attr in module.__all__:
        assert not attr.startswith("_")
        assert getattr(module, attr) is not None
