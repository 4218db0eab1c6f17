"""What the QA forms accept: template items one a line, and whole numbers typed in forms."""

from __future__ import annotations

import pytest

from agent_console.routes.qa import whole
from agent_console.routes.qa_admin import parse_items
from recordings.errors import QaError


def test_items_one_a_line_with_instant_fail() -> None:
    text = "Greeted | 10\n\n  No promise | 20 | fail \nNamed the company|5|x\n"
    assert parse_items(text) == [
        ("Greeted", 10, False),
        ("No promise", 20, True),
        ("Named the company", 5, True),
    ]


@pytest.mark.parametrize(
    "line", ["no points", "A | ten", "A | ²", " | 5", "A | 1 | fail | x", "A | -1"]
)
def test_bad_item_lines_are_refused(line: str) -> None:
    with pytest.raises(QaError):
        parse_items(line)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("0", 0), ("42", 42), ("", None), (None, None), ("-1", None), ("²", None), ("1e3", None),
     ("1234567890", None), ("٣", None)],
)  # fmt: skip
def test_whole_numbers_only_in_ascii_digits(typed: str | None, value: int | None) -> None:
    assert whole(typed) == value
