"""Numbers, plates and dates spoken from per-digit prompts, in Chinese and in English.

Each function returns prompt names (``digits/7``, ``letters/b``, ``provinces/yue``, …) that the
flow plays in order; :func:`vocabulary` lists every name they can return, so the start-up check
finds a missing digit before a customer hears a gap.
"""

from __future__ import annotations

from datetime import date

__all__ = ["PROVINCES", "say_date", "say_number", "say_plate", "vocabulary"]

# Plate prefixes (the province's one-character abbreviation) → prompt name (pinyin; the two
# 'yu' are told apart by their province).
PROVINCES = {
    "京": "jing", "津": "jin", "沪": "hu", "渝": "yu-chongqing", "冀": "ji", "豫": "yu-henan",
    "云": "yun", "辽": "liao", "黑": "hei", "湘": "xiang", "皖": "wan", "鲁": "lu", "新": "xin",
    "苏": "su", "浙": "zhe", "赣": "gan", "鄂": "e", "桂": "gui", "甘": "gan-gansu",
    "晋": "jin-shanxi",
    "蒙": "meng", "陕": "shan", "吉": "ji-jilin", "闽": "min", "贵": "gui-guizhou", "粤": "yue",
    "青": "qing", "藏": "zang", "川": "chuan", "宁": "ning", "琼": "qiong",
}  # fmt: skip

_DATE_WORDS = {"zh_CN": ("dates/year", "dates/month", "dates/day")}


def _en_number(n: int) -> list[str]:
    """0..9999 as English prompts: 21 → twenty, one; 2026 → twenty, twenty-six (as years)."""
    if n < 20:
        return [f"digits/{n}"]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [f"digits/{tens * 10}"] + ([f"digits/{ones}"] if ones else [])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [f"digits/{hundreds}", "digits/hundred"] + (_en_number(rest) if rest else [])
    thousands, rest = divmod(n, 1000)
    return [f"digits/{thousands}", "digits/thousand"] + (_en_number(rest) if rest else [])


def _zh_number(n: int) -> list[str]:
    """0..99 as Chinese prompts: 10 → 十; 21 → 二, 十, 一."""
    if n < 10:
        return [f"digits/{n}"]
    tens, ones = divmod(n, 10)
    head = [] if tens == 1 else [f"digits/{tens}"]
    return [*head, "digits/10"] + ([f"digits/{ones}"] if ones else [])


def say_number(n: int, language: str) -> list[str]:
    if not 0 <= n <= 9999:
        raise ValueError(f"cannot say {n}: 0..9999 only")
    if language == "en":
        return _en_number(n)
    if n >= 100:
        return [f"digits/{d}" for d in str(n)]  # 2026 → 二 零 二 六, as years are said
    return _zh_number(n)


def say_date(day: date, language: str) -> list[str]:
    """2026-05-01 → zh 二零二六 年 五 月 一 日; en May, first... spoken as: May 1, 2026."""
    if language == "en":
        years = divmod(day.year, 100)
        year = _en_number(years[0]) + (_en_number(years[1]) if years[1] else ["digits/hundred"])
        return [f"months/{day.month}", *_en_number(day.day), *year]
    year_word, month_word, day_word = _DATE_WORDS["zh_CN"]
    return [
        *say_number(day.year, language),
        year_word,
        *_zh_number(day.month),
        month_word,
        *_zh_number(day.day),
        day_word,
    ]


def say_plate(plate: str) -> list[str]:
    """粤B12345 → provinces/yue, letters/b, digits/1 … (characters it cannot say are skipped:
    a plate from a bad row must not stop the call)."""
    out = []
    for char in plate.strip().upper():
        if char in PROVINCES:
            out.append(f"provinces/{PROVINCES[char]}")
        elif char.isascii() and char.isdigit():
            out.append(f"digits/{char}")
        elif char.isascii() and char.isalpha():
            out.append(f"letters/{char.lower()}")
    return out


def vocabulary(language: str) -> set[str]:
    """Every prompt name the functions above can return in ``language``."""
    names = {f"provinces/{p}" for p in PROVINCES.values()}
    names |= {f"letters/{chr(c)}" for c in range(ord("a"), ord("z") + 1)}
    names |= {f"digits/{d}" for d in range(10)} | {"digits/10"}
    if language == "en":
        names |= {f"digits/{n}" for n in range(20)} | {f"digits/{t}" for t in range(20, 100, 10)}
        names |= {"digits/hundred", "digits/thousand"} | {f"months/{m}" for m in range(1, 13)}
    else:
        names |= set(_DATE_WORDS["zh_CN"])
    return names
