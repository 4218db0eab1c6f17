"""The book importer against real databases (SQLite and PostgreSQL) and real files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from renewals.importer import ImportAborted, MissingColumns, UnreadableBook, import_book
from renewals.importer.report import ImportReport, Progress
from renewals.models import Customer, Lead, LeadStage, LeadStatus, Policy, Vehicle
from tests.book_files import (
    HEADER,
    NOW,
    FixedClock,
    break_sheet_after_row,
    count,
    numbered,
    row,
    table_dump,
    write_csv,
    write_xlsx,
)

_READING = {"worker_min_bytes": None}


@pytest.fixture(autouse=True, params=["in-process", "worker"])
def _reading(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test twice: reading and validating here, and in the second process."""
    _READING["worker_min_bytes"] = 0 if request.param == "worker" else None
    yield
    _READING["worker_min_bytes"] = None


def _import(path: Path, engine: Engine, **kwargs: object) -> ImportReport:
    kwargs.setdefault("worker_min_bytes", _READING["worker_min_bytes"])
    return import_book(path, engine=engine, clock=FixedClock(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_book_creates_customer_vehicle_policy_coverages_and_open_lead(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "book.csv", [row()], encoding=encoding)
    report = _import(path, engine)
    assert (report.inserted, report.updated, report.rejected) == (1, 0, [])
    with session_factory() as s:
        policy = s.scalars(select(Policy)).one()
        assert policy.vehicle.plate == "京A12345"
        assert policy.vehicle.vin == "LSVAM4187C2184847"
        assert policy.vehicle.customer.name == "张伟"
        assert policy.vehicle.customer.phone == "13812345678"
        assert policy.vehicle.customer.tenure_years == 2
        assert policy.end_date == date(2026, 2, 15)
        assert policy.commercial_premium_cents == 321050
        assert policy.insurer == "人保财险"
        assert [(c.code, c.insured_amount_cents, c.premium_cents) for c in policy.coverages] == [
            ("车损险", 12_000_000, 192_050),
            ("三者险", 100_000_000, 83_000),
        ]
        lead = s.scalars(select(Lead)).one()
        assert (lead.policy_id, lead.status, lead.stage) == (
            policy.id,
            LeadStatus.OPEN,
            LeadStage.LISTED,
        )
        assert lead.next_contact_at is None
        assert lead.created_at == NOW


def test_xlsx_book_with_excel_serial_dates_and_numeric_cells(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            row(expiry=46068, phone=13812345678, premium=3210.5, claims=2, tenure=1.0),
            row(plate="沪AD12345", name="李娜", phone="13912345678", expiry=date(2026, 3, 1)),
        ],
    )
    report = _import(path, engine)
    assert (report.inserted, report.rejected) == (2, [])
    with session_factory() as s:
        policies = {p.vehicle.plate: p for p in s.scalars(select(Policy))}
        assert policies["京A12345"].end_date == date(2026, 2, 15)
        assert policies["京A12345"].claim_count == 2
        assert policies["京A12345"].commercial_premium_cents == 321050
        assert policies["沪AD12345"].end_date == date(2026, 3, 1)
        assert policies["京A12345"].vehicle.customer.phone == "13812345678"


def test_english_headers_and_full_width_plates_and_phones(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    header = ["Plate", "Insured", "Phone", "Expiry", "Last premium", "Region"]
    rows = [
        [
            "粤Ｂ　12345",
            "Wang Fang",
            "１３９ ８７６５ ４３２１",
            "2026年3月1日",
            "￥1,234.5",
            "深圳",
        ]
    ]
    report = _import(write_csv(tmp_path / "en.csv", rows, header=header), engine)
    assert report.rejected == []
    with session_factory() as s:
        vehicle = s.scalars(select(Vehicle)).one()
        assert vehicle.plate == "粤B12345"
        assert vehicle.customer.phone == "13987654321"
        assert vehicle.customer.region == "深圳"
        assert s.scalars(select(Policy)).one().commercial_premium_cents == 123450


def test_bad_rows_are_reported_with_row_field_reason_while_good_rows_go_in(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        row(plate="京A10001"),
        row(plate="京A10002", phone="12345"),
        row(plate="not a plate"),
        row(plate="京A10004", expiry="2026-02-30", premium="abc"),
        row(plate="京A10005", name=""),
        row(plate="京A10006", name="王五", phone="13900000006"),
    ]
    report = _import(write_csv(tmp_path / "bad.csv", rows), engine)
    assert report.inserted == 2
    assert [(r.row, r.field, r.code) for r in report.rejected] == [
        (3, "phone", "invalid_phone"),
        (4, "plate", "invalid_plate"),
        (5, "expiry", "invalid_date"),
        (5, "last_premium", "invalid_money"),
        (6, "insured", "missing"),
    ]
    assert report.rejected_rows == 4
    assert all(r.reason for r in report.rejected)
    assert count(engine, "policies") == 2


def test_duplicate_plate_in_one_file_names_the_first_row(engine: Engine, tmp_path: Path) -> None:
    rows = [row(), row(plate="京B00001"), row(plate="京a 12345", name="另一人")]
    report = _import(write_csv(tmp_path / "dup.csv", rows), engine)
    assert report.inserted == 2
    [dup] = report.rejected
    assert (dup.row, dup.field, dup.code) == (4, "plate", "duplicate_plate")
    assert "row 2" in dup.reason


def test_reimport_updates_and_never_duplicates(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    first = _import(write_csv(tmp_path / "a.csv", numbered(12)), engine, chunk_rows=5)
    assert (first.inserted, first.updated) == (12, 0)
    changed = numbered(12)
    changed[3][4] = "9999.99"  # last premium of row 5
    changed[3][11] = ""  # 车损险 no longer bought
    changed[3][10] = ""
    again = _import(write_csv(tmp_path / "b.csv", changed), engine, chunk_rows=5)
    assert (again.inserted, again.updated, again.rejected) == (0, 12, [])
    assert again.leads_created == 0
    for table in ("customers", "vehicles", "policies", "leads"):
        assert count(engine, table) == 12
    assert count(engine, "coverages") == 23
    with session_factory() as s:
        policy = s.scalars(select(Policy).join(Vehicle).where(Vehicle.plate == "京A10003")).one()
        assert policy.commercial_premium_cents == 999_999
        assert [c.code for c in policy.coverages] == ["三者险"]


def test_reimport_keeps_work_on_leads_and_columns_the_new_file_lacks(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "full.csv", [row()]), engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE leads SET attempts = 3, owner_agent = 'a07'"))
    slim = write_csv(
        tmp_path / "slim.csv",
        [["京A12345", "张伟", "13812345678", "2026-02-15", "4000"]],
        header=["车牌号", "被保险人", "手机号", "保单到期日", "上年保费"],
    )
    report = _import(slim, engine)
    assert report.updated == 1
    with session_factory() as s:
        policy = s.scalars(select(Policy)).one()
        assert policy.commercial_premium_cents == 400_000
        assert policy.vehicle.vin == "LSVAM4187C2184847"
        assert len(policy.coverages) == 2
        lead = s.scalars(select(Lead)).one()
        assert (lead.attempts, lead.owner_agent) == (3, "a07")


def test_next_years_book_adds_a_policy_and_lead_to_the_same_vehicle(
    engine: Engine, tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "2026.csv", [row(expiry="2026-02-15")]), engine)
    report = _import(write_csv(tmp_path / "2027.csv", [row(expiry="2027-02-15")]), engine)
    assert (report.inserted, report.updated, report.leads_created) == (1, 0, 1)
    assert (count(engine, "vehicles"), count(engine, "policies"), count(engine, "leads")) == (
        1,
        2,
        2,
    )


def test_one_customer_with_two_cars_is_one_customer(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "two.csv", [row(), row(plate="京B54321")]), engine)
    with session_factory() as s:
        customer = s.scalars(select(Customer)).one()
        assert sorted(v.plate for v in customer.vehicles) == ["京A12345", "京B54321"]


def test_dry_run_reports_exact_counts_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", numbered(3)), engine)
    before = table_dump(engine)
    report = _import(write_csv(tmp_path / "b.csv", numbered(5)), engine, dry_run=True)
    assert (report.inserted, report.updated, report.dry_run) == (2, 3, True)
    assert table_dump(engine) == before


def _refuse_plate_trigger(engine: Engine, plate: str) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_plate BEFORE INSERT ON vehicles "
                    f"WHEN NEW.plate = '{plate}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_plate() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.plate = '{plate}' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_plate BEFORE INSERT ON vehicles "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_plate()"
                )
            )


def test_database_failure_mid_file_leaves_the_database_as_it_was(
    engine: Engine, tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "a.csv", numbered(4)), engine)
    before = table_dump(engine)
    _refuse_plate_trigger(engine, "京A10025")
    rows = numbered(30)
    for r in rows[:4]:
        r[4] = "1.00"  # updates to known policies, in the first chunk
    path = write_csv(tmp_path / "b.csv", rows)
    progress: list[Progress] = []
    with pytest.raises(ImportAborted) as caught:
        _import(path, engine, chunk_rows=10, progress=progress.append)
    assert (caught.value.first_row, caught.value.last_row) == (22, 31)
    assert [p.rows for p in progress] == [10, 20]  # two chunks were written before the failure
    assert table_dump(engine) == before


def test_unreadable_file_leaves_the_database_as_it_was(engine: Engine, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", numbered(2)), engine)
    before = table_dump(engine)
    broken = tmp_path / "broken.xlsx"
    shutil.copy(write_xlsx(tmp_path / "ok.xlsx", numbered(5)), broken)
    broken.write_bytes(broken.read_bytes()[:300])
    with pytest.raises(UnreadableBook):
        _import(broken, engine)
    with pytest.raises(MissingColumns, match="phone, expiry"):
        _import(write_csv(tmp_path / "c.csv", [["京A1"]], header=["车牌号"]), engine)
    assert table_dump(engine) == before


def test_xlsx_breaking_off_after_chunks_were_written_leaves_the_database_as_it_was(
    engine: Engine, tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "a.csv", numbered(2)), engine)
    before = table_dump(engine)
    # Streamed: the sheet's XML breaks off after row 26 (calamine reads a row ahead, so 26
    # is lost too), when two chunks are already written.
    path = break_sheet_after_row(write_xlsx(tmp_path / "b.xlsx", numbered(30)), 26)
    progress: list[Progress] = []
    with pytest.raises(UnreadableBook, match="cannot read the sheet past row 25: "):
        _import(path, engine, chunk_rows=10, progress=progress.append)
    assert [p.rows for p in progress] == [10, 20]
    assert table_dump(engine) == before


def test_progress_is_reported_per_chunk_up_to_the_whole_file(
    engine: Engine, tmp_path: Path
) -> None:
    seen: list[Progress] = []
    _import(
        write_xlsx(tmp_path / "p.xlsx", numbered(25)), engine, chunk_rows=10, progress=seen.append
    )
    assert [p.rows for p in seen] == [10, 20, 25]
    assert seen[-1].fraction == 1.0


def test_header_only_book_imports_nothing(engine: Engine, tmp_path: Path) -> None:
    report = _import(write_csv(tmp_path / "h.csv", []), engine)
    assert (report.inserted, report.updated, report.rows_read) == (0, 0, 0)
    assert report.as_json() == {"inserted": 0, "updated": 0, "rejected": []}
    assert count(engine, "leads") == 0


def test_book_with_a_title_row_above_the_header_imports(engine: Engine, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026年1月到期续保清单"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(row())
    sheet.append(row(plate="京B1"))
    book.save(tmp_path / "titled.xlsx")
    report = _import(tmp_path / "titled.xlsx", engine)
    assert report.inserted == 1
    assert [(r.row, r.field) for r in report.rejected] == [(5, "plate")]


def test_unreachable_database_is_an_import_error_not_a_crash(tmp_path: Path) -> None:
    from config.db import create_db_engine

    engine = create_db_engine("postgresql://postgres@127.0.0.1:1/none")  # nothing listens on 1
    try:
        with pytest.raises(ImportAborted, match="database error, import rolled back"):
            _import(write_csv(tmp_path / "a.csv", [row()]), engine)
    finally:
        engine.dispose()


def test_every_column_of_a_full_demo_book_lands_in_its_place(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    from renewals.demo_book import HEADER as DEMO_HEADER
    from renewals.demo_book import generate_book, write_book

    book = tmp_path / "demo.xlsx"
    write_book(book, leads=5, seed=11, today=date(2026, 1, 1))
    first = dict(
        zip(DEMO_HEADER, next(generate_book(leads=5, seed=11, today=date(2026, 1, 1))), strict=True)
    )
    assert _import(book, engine).rejected == []
    with session_factory() as s:
        policy = s.scalars(
            select(Policy).join(Vehicle).where(Vehicle.plate == first["车牌号"])
        ).one()
        vehicle, customer = policy.vehicle, policy.vehicle.customer
        assert (customer.name, customer.phone, customer.region) == (
            first["被保险人"],
            first["手机号"],
            first["地区"],
        )
        assert customer.tenure_years == first["续保年限"]
        assert (vehicle.vin, vehicle.model, vehicle.seats) == (
            first["车架号"],
            first["厂牌型号"],
            first["座位数"],
        )
        assert vehicle.first_registration == first["初次登记日期"]
        assert (policy.insurer, policy.commercial_policy_no, policy.compulsory_policy_no) == (
            first["保险公司"],
            first["商业险保单号"],
            first["交强险保单号"],
        )
        assert (policy.start_date, policy.end_date) == (first["起保日期"], first["保单到期日"])
        assert policy.commercial_premium_cents == round(first["上年保费"] * 100)
        assert policy.compulsory_premium_cents == round(first["交强险保费"] * 100)
        assert policy.vessel_tax_cents == first["车船税"] * 100
        assert policy.claim_count == first["出险次数"]
        assert policy.claim_amount_cents == round(first["出险金额"] * 100)
        bought = {c.code: (c.insured_amount_cents, c.premium_cents) for c in policy.coverages}
        assert bought["三者险"] == (
            round(first["三者险保额"] * 100),
            round(first["三者险保费"] * 100),
        )
