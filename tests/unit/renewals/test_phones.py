import pytest

from renewals.phones import InvalidPhone, mask_phone, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("008613812345678", "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        (19912345678, "19912345678"),
    ],
)
def test_normalise_accepts_real_spreadsheet_forms(raw: object, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", None, "1381234567", "12812345678", "0571-88888888", "138abc45678", 1.5]
)
def test_normalise_rejects_non_mobiles(raw: object) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_mask_hides_the_middle_digits() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert "1234" not in mask_phone("13812345678")


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        ("02150001001", "021****1001"),
        ("+8613812345678", "+86*******5678"),
        ("5551001", "*****01"),
        ("50001001", "******01"),
        ("12", "12"),
        ("", ""),
    ],
)
def test_every_length_keeps_at_least_four_digits_hidden_or_shows_two(
    number: str, masked: str
) -> None:
    assert mask_phone(number) == masked
