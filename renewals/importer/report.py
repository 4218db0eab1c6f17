"""What an import did: counts and rejected rows (row number, field, reason).

The readable summary is the command line's (``config/import_summary.py``), in its language."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportReport", "Progress", "Rejection"]


@dataclass(frozen=True, slots=True)
class Rejection:
    """One bad cell: ``row`` as the spreadsheet numbers it (header = 1), the field and why."""

    row: int
    field: str
    reason: str
    code: str = "invalid"

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an import is: rows read so far and the share of the file (0..1) when known."""

    rows: int
    fraction: float | None


@dataclass(slots=True)
class ImportReport:
    """The outcome of one file. ``inserted``/``updated`` count policies (one per good row)."""

    path: str
    kind: str
    encoding: str
    dry_run: bool
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    customers_inserted: int = 0
    vehicles_inserted: int = 0
    leads_created: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})

    def as_json(self) -> dict[str, object]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": [r.as_json() for r in self.rejected],
        }
