"""Xubao part: see docs/architecture."""
