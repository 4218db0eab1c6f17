"""Numbers, dates and plates from per-digit prompts, Chinese and English."""

from __future__ import annotations

from datetime import date

import pytest

from ivr.speech import say_date, say_number, say_plate, vocabulary


def test_chinese_numbers_and_dates() -> None:
    assert say_number(10, "zh_CN") == ["digits/10"]
    assert say_number(21, "zh_CN") == ["digits/2", "digits/10", "digits/1"]
    assert say_number(2026, "zh_CN") == ["digits/2", "digits/0", "digits/2", "digits/6"]
    assert say_date(date(2026, 12, 31), "zh_CN")[4:] == [
        "dates/year", "digits/10", "digits/2", "dates/month",
        "digits/3", "digits/10", "digits/1", "dates/day",
    ]  # fmt: skip


def test_english_numbers_and_dates() -> None:
    assert say_number(0, "en") == ["digits/0"]
    assert say_number(45, "en") == ["digits/40", "digits/5"]
    assert say_number(305, "en") == ["digits/3", "digits/hundred", "digits/5"]
    assert say_date(date(2026, 5, 21), "en") == [
        "months/5", "digits/20", "digits/1", "digits/20", "digits/20", "digits/6",
    ]  # fmt: skip
    assert say_date(date(2000, 1, 1), "en")[-2:] == ["digits/20", "digits/hundred"]
    with pytest.raises(ValueError):
        say_number(10_000, "en")


def test_plates_and_the_vocabulary_covers_every_output() -> None:
    assert say_plate("京a 0?") == ["provinces/jing", "letters/a", "digits/0"]
    for language in ("zh_CN", "en"):
        words = vocabulary(language)
        for n in range(0, 2100, 7):
            assert set(say_number(n, language)) <= words
        assert set(say_date(date(2026, 11, 29), language)) <= words
        assert set(say_plate("粤B12345")) <= words
