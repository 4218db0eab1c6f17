"""Alembic migrations of the Xubao schema (run with ``xubao db upgrade``)."""
