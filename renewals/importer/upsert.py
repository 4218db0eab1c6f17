"""Writes validated rows, one chunk at a time: look up natural keys, insert new, update known.

Natural keys (see ``renewals.models``): customer (name, phone), vehicle plate, policy
(vehicle, end date), lead policy. Per chunk each table costs one look-up, one executemany insert,
one look-up of the new ids (on SQLite a single ``max(id)``, see ``Bulk.insert_ids``) and one
executemany update: never a query per row. On SQLite the new policies' leads are one
``INSERT ... SELECT`` over the policies' new id range.

A re-import updates only the columns the file has, so a book without a VIN column does not wipe
the VINs an earlier book brought. Coverages of a known policy are replaced by the file's when the
file has coverage columns. An existing lead is left alone (agents may be working it); a policy
without one gets a new lead, open and listed, with no next contact time (cadence sets it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Connection, Table

from renewals.importer.bulk import Bulk
from renewals.importer.columns import Field
from renewals.importer.validation import BookRow
from renewals.models import Coverage, Customer, Lead, LeadStage, LeadStatus, Policy, Vehicle

__all__ = ["ChunkResult", "ChunkWriter"]

_CUSTOMERS = cast(Table, Customer.__table__)
_VEHICLES = cast(Table, Vehicle.__table__)
_POLICIES = cast(Table, Policy.__table__)
_COVERAGES = cast(Table, Coverage.__table__)
_LEADS = cast(Table, Lead.__table__)

# Optional columns of each table and the file field each comes from (BookRow attribute).
_CUSTOMER_COLUMNS = (("region", Field.REGION, "region"), ("tenure_years", Field.TENURE, "tenure"))
_VEHICLE_COLUMNS = (
    ("vin", Field.VIN, "vin"),
    ("model", Field.MODEL, "model"),
    ("first_registration", Field.FIRST_REGISTRATION, "first_registration"),
    ("seats", Field.SEATS, "seats"),
)
_POLICY_COLUMNS = (
    ("start_date", Field.START_DATE, "start_date"),
    ("insurer", Field.INSURER, "insurer"),
    ("commercial_policy_no", Field.COMMERCIAL_NO, "commercial_no"),
    ("compulsory_policy_no", Field.COMPULSORY_NO, "compulsory_no"),
    ("commercial_premium_cents", Field.COMMERCIAL_PREMIUM, "commercial_premium"),
    ("compulsory_premium_cents", Field.COMPULSORY_PREMIUM, "compulsory_premium"),
    ("vessel_tax_cents", Field.VESSEL_TAX, "vessel_tax"),
    ("claim_count", Field.CLAIM_COUNT, "claim_count"),
    ("claim_amount_cents", Field.CLAIM_AMOUNT, "claim_amount"),
)
_LEAD_COLUMNS = (
    "policy_id",
    "stage",
    "status",
    "attempts",
    "contacts",
    "notes",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class ChunkResult:
    inserted: int
    updated: int
    customers_inserted: int
    vehicles_inserted: int
    leads_created: int


def _getter(attrs: list[str]) -> Callable[[BookRow], tuple[Any, ...]]:
    """A fast ``row → (row.a, row.b, …)`` (attrgetter returns a bare value for one name)."""
    if not attrs:
        return lambda row: ()
    if len(attrs) == 1:
        get_one = attrgetter(attrs[0])
        return lambda row: (get_one(row),)
    return attrgetter(*attrs)


class ChunkWriter:
    """Upserts chunks of one file's rows inside the caller's transaction."""

    def __init__(
        self, *, conn: Connection, now: datetime, present: frozenset[Field], coverages: bool
    ) -> None:
        self._bulk = Bulk(conn)
        self._now = now
        self._replace_coverages = coverages

        def chosen(spec: tuple[tuple[str, Field, str], ...]) -> list[tuple[str, str]]:
            return [(column, attr) for column, field, attr in spec if field in present]

        self._customer_update = chosen(_CUSTOMER_COLUMNS)
        self._vehicle_update = chosen(_VEHICLE_COLUMNS)
        self._policy_update = chosen(_POLICY_COLUMNS)

    def write(self, rows: list[BookRow]) -> ChunkResult:
        customer_ids, new_customers = self._customers(rows)
        vehicle_ids, new_vehicles = self._vehicles(rows, customer_ids)
        policy_ids, known_policies, fresh = self._policies(rows, vehicle_ids, new_vehicles)
        self._coverages(rows, policy_ids, known_policies)
        leads = self._leads(policy_ids, known_policies, fresh)
        return ChunkResult(
            inserted=len(rows) - len(known_policies),
            updated=len(known_policies),
            customers_inserted=new_customers,
            vehicles_inserted=len(new_vehicles),
            leads_created=leads,
        )

    def _customers(self, rows: list[BookRow]) -> tuple[dict[tuple[str, str], int], int]:
        latest = {(r.name, r.phone): r for r in rows}  # one customer, several cars: last row wins
        lookup = ("id", "name", "phone")
        found = self._bulk.select_in(_CUSTOMERS, lookup, "phone", (k[1] for k in latest))
        ids = {(n, p): i for i, n, p in found}
        new = [k for k in latest if k not in ids]
        now = self._now
        new_ids = self._bulk.insert_ids(
            _CUSTOMERS,
            ("name", "phone", "region", "timezone", "tenure_years", "created_at", "updated_at"),
            [
                (n, p, latest[n, p].region, "Asia/Shanghai", latest[n, p].tenure, now, now)
                for n, p in new
            ],
        )
        if new_ids is not None:
            ids.update(zip(new, new_ids, strict=True))
        elif new:
            found = self._bulk.select_in(_CUSTOMERS, lookup, "phone", (k[1] for k in new))
            ids.update({(n, p): i for i, n, p in found})
        if self._customer_update:
            columns = [col for col, _ in self._customer_update] + ["updated_at"]
            values = _getter([attr for _, attr in self._customer_update])
            fresh = set(new)
            self._bulk.update(
                _CUSTOMERS,
                columns,
                [(*values(r), now, ids[k]) for k, r in latest.items() if k not in fresh],
            )
        return ids, len(new)

    def _vehicles(
        self, rows: list[BookRow], customer_ids: dict[tuple[str, str], int]
    ) -> tuple[dict[str, int], set[str]]:
        lookup = ("plate", "id")
        ids = dict(self._bulk.select_in(_VEHICLES, lookup, "plate", (r.plate for r in rows)))
        new = [r for r in rows if r.plate not in ids]
        new_ids = self._bulk.insert_ids(
            _VEHICLES,
            ("customer_id", "plate", "vin", "model", "first_registration", "seats"),
            [
                (
                    customer_ids[r.name, r.phone],
                    r.plate,
                    r.vin,
                    r.model,
                    r.first_registration,
                    r.seats,
                )
                for r in new
            ],
        )
        known = [r for r in rows if r.plate in ids]
        if new_ids is not None:
            ids.update(zip((r.plate for r in new), new_ids, strict=True))
        elif new:
            ids.update(self._bulk.select_in(_VEHICLES, lookup, "plate", (r.plate for r in new)))
        values = _getter([attr for _, attr in self._vehicle_update])
        self._bulk.update(
            _VEHICLES,
            ["customer_id"] + [col for col, _ in self._vehicle_update],
            [(customer_ids[r.name, r.phone], *values(r), ids[r.plate]) for r in known],
        )
        return ids, {r.plate for r in new}

    def _policies(
        self, rows: list[BookRow], vehicle_ids: dict[str, int], new_vehicles: set[str]
    ) -> tuple[list[int], set[int], list[int] | None]:
        """The policy id of each row (in order), the ids that existed before, and the new ids
        (ascending and contiguous; ``None`` where the backend does not say, see Bulk.insert_ids).
        """
        end_date = _POLICIES.c.end_date
        memo: dict[date, Any] = {}
        keys = [
            (
                vehicle_ids[r.plate],
                memo.get(r.end_date)
                or memo.setdefault(r.end_date, self._bulk.db_value(end_date, r.end_date)),
            )
            for r in rows
        ]
        lookup = ("vehicle_id", "end_date", "id")
        old_vehicles = [
            k[0] for k, r in zip(keys, rows, strict=True) if r.plate not in new_vehicles
        ]
        found = self._bulk.select_in(_POLICIES, lookup, "vehicle_id", old_vehicles)
        ids = {(v, e): i for v, e, i in found}
        known = [(k, r) for k, r in zip(keys, rows, strict=True) if k in ids]
        new = [(k, r) for k, r in zip(keys, rows, strict=True) if k not in ids]
        columns = ["vehicle_id", "end_date"] + [col for col, _, _ in _POLICY_COLUMNS]
        values = _getter([attr for _, _, attr in _POLICY_COLUMNS])
        new_ids = self._bulk.insert_ids(
            _POLICIES, columns, [(k[0], r.end_date, *values(r)) for k, r in new]
        )
        if new_ids is not None:
            ids.update(zip((k for k, _ in new), new_ids, strict=True))
        elif new:
            found = self._bulk.select_in(_POLICIES, lookup, "vehicle_id", (k[0] for k, _ in new))
            ids.update({(v, e): i for v, e, i in found})
        update = _getter([attr for _, attr in self._policy_update])
        self._bulk.update(
            _POLICIES,
            [col for col, _ in self._policy_update],
            [(*update(r), ids[k]) for k, r in known],
        )
        return [ids[k] for k in keys], {ids[k] for k, _ in known}, new_ids

    def _coverages(self, rows: list[BookRow], policy_ids: list[int], known: set[int]) -> None:
        if not self._replace_coverages:
            return
        if known:
            self._bulk.delete_in(_COVERAGES, _COVERAGES.c.policy_id, sorted(known))
        self._bulk.insert(
            _COVERAGES,
            ("policy_id", "code", "position", "insured_amount_cents", "premium_cents"),
            [
                (policy_id, code, position, amount, premium)
                for r, policy_id in zip(rows, policy_ids, strict=True)
                for position, (code, amount, premium) in enumerate(r.coverages)
            ],
        )

    def _leads(self, policy_ids: list[int], known: set[int], fresh: list[int] | None) -> int:
        with_lead: set[int] = set()
        if known:
            found = self._bulk.select_in(_LEADS, ("policy_id",), "policy_id", known)
            with_lead = {p for (p,) in found}
        now = self._now
        constants = (LeadStage.LISTED, LeadStatus.OPEN, 0, 0, "", now, now)
        created = 0
        if fresh:
            # New policies' ids are one contiguous range: one INSERT ... SELECT makes their
            # leads inside SQLite instead of binding eight parameters per row.
            self._bulk.insert_per_id(
                _LEADS, _LEAD_COLUMNS, _POLICIES, fresh[0], fresh[-1], constants
            )
            created = len(fresh)
            with_lead.update(fresh)
        missing = [p for p in policy_ids if p not in with_lead]
        self._bulk.insert(_LEADS, _LEAD_COLUMNS, [(p, *constants) for p in missing])
        return created + len(missing)
