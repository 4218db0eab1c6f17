from datetime import date, datetime

import pytest

from renewals.importer.parsers import (
    BadValue,
    parse_count,
    parse_date,
    parse_money_cents,
    parse_phone,
    parse_plate,
    parse_text,
    parse_vin,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("京A12345", "京A12345"),
        ("京a12345", "京A12345"),
        ("京Ａ１２３４５", "京A12345"),  # full-width letters and digits
        (" 粤B 12 345 ", "粤B12345"),
        ("沪A·B1234", "沪AB1234"),
        ("浙AD12345", "浙AD12345"),  # new-energy, small car
        ("苏E12345F", "苏E12345F"),  # new-energy, large car
        ("粤Z1234港", "粤Z1234港"),
        ("鲁B-1234学", "鲁B1234学"),
    ],
)
def test_plate_is_normalised(raw: str, expected: str) -> None:
    assert parse_plate(raw) == expected


@pytest.mark.parametrize(
    "raw", ["A12345", "京12345", "京A1234", "京A1234567", "台A12345", "京A12$45", "12345"]
)
def test_plate_without_province_letter_and_5_or_6_characters_is_rejected(raw: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_plate(raw)
    assert caught.value.code == "invalid_plate"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("１３８ １２３４ ５６７８", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        (13812345678.0, "13812345678"),
        (19912345678, "19912345678"),
    ],
)
def test_phone_is_normalised(raw: object, expected: str) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "010-88886666", "138abcd5678"])
def test_phone_that_is_not_a_chinese_mobile_is_rejected_without_showing_it(raw: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_phone(raw)
    assert caught.value.code == "invalid_phone"
    assert "5678" not in caught.value.reason or "*" in caught.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (46027, date(2026, 1, 5)),  # Excel serial
        (46027.75, date(2026, 1, 5)),  # serial with a time of day
        ("46027", date(2026, 1, 5)),  # serial that a CSV export kept as text
        ("2026/1/5", date(2026, 1, 5)),
        ("2026-01-05", date(2026, 1, 5)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("２０２６年１月５日", date(2026, 1, 5)),
        ("2026.1.5", date(2026, 1, 5)),
        ("20260105", date(2026, 1, 5)),
        ("2026/1/5 0:00:00", date(2026, 1, 5)),
        ("2026-01-05T08:30:00", date(2026, 1, 5)),
        (datetime(2026, 1, 5, 23, 59), date(2026, 1, 5)),
        (date(2026, 1, 5), date(2026, 1, 5)),
        (61, date(1900, 3, 1)),  # just past Lotus's phantom 1900-02-29
    ],
)
def test_date_forms_found_in_books(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "明年", "2026/13/1", -5, 0, "5/1/2026"])
def test_impossible_dates_are_rejected(raw: object) -> None:
    with pytest.raises(BadValue) as caught:
        parse_date(raw)
    assert caught.value.code == "invalid_date"


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("1,234.50", 123450),
        ("￥1234.5", 123450),
        ("¥1,234", 123400),
        ("1234元", 123400),
        ("１２３４.５", 123450),
        (" 830 ", 83000),
        ("830", 83000),
        ("0.05", 5),
        (1234.5, 123450),
        (1920.55, 192055),  # a float that is not exact in binary still gives its cents
        (0.125, 13),  # half a cent rounds up
        (830, 83000),
        ("1234.567", 123457),
    ],
)
def test_money_becomes_integer_cents(raw: object, cents: int) -> None:
    assert parse_money_cents(raw) == cents


@pytest.mark.parametrize("raw", ["-10", "abc", "1.2.3", -1.5])
def test_money_that_is_negative_or_not_a_number_is_rejected(raw: object) -> None:
    with pytest.raises(BadValue) as caught:
        parse_money_cents(raw)
    assert caught.value.code == "invalid_money"


@pytest.mark.parametrize(
    ("raw", "expected"), [("2", 2), (2.0, 2), ("3次", 3), ("３年", 3), ("2.0", 2), (0, 0)]
)
def test_counts_accept_units_and_float_cells(raw: object, expected: int) -> None:
    assert parse_count(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "1.5", "两次", 2.5])
def test_counts_reject_fractions_words_and_negatives(raw: object) -> None:
    with pytest.raises(BadValue):
        parse_count(raw)


def test_vin_is_upper_cased_and_checked_for_17_characters_without_i_o_q() -> None:
    assert parse_vin(" lsvam4187c2184847 ") == "LSVAM4187C2184847"
    for bad in ("LSVAM4187C218484", "LSVAM4187C218484O"):
        with pytest.raises(BadValue):
            parse_vin(bad)


def test_text_is_trimmed_and_limited() -> None:
    assert parse_text("  人保财险 ", 60) == "人保财险"
    assert parse_text(20250001.0, 40) == "20250001"
    with pytest.raises(BadValue) as caught:
        parse_text("x" * 41, 40)
    assert caught.value.code == "too_long"
