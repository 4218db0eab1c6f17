"""The call script as data: the shipped file loads, fields are escaped, languages fall back."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.call_script import ScriptError, load_script
from config.scripts import CALL_SCRIPT

FIELDS: dict[str, object] = {
    "customer_name": "<script>alert(1)</script>李四",
    "agent_name": "小王",
    "agent_id": "1001",
    "plate": "沪A12345",
    "model": "朗逸",
    "end_date": "2026-06-01",
    "days_left": 31,
    "total": "¥5,000.00",
    "last_total": "¥4,500.00",
    "change_abs": "¥500.00",
    "change_up": True,
    "ncd_level": -1,
    "ncd_coefficient": "0.8",
    "ncd_reason": "上年无出险 & 续保",
}


def test_the_shipped_script_fills_every_field_escaped_in_both_languages() -> None:
    script = load_script(CALL_SCRIPT)
    title, steps = script.render("zh_CN", FIELDS)
    text = "".join(s.html for s in steps)
    assert title == "续保通话话术" and len(steps) >= 5
    assert "&lt;script&gt;alert(1)&lt;/script&gt;李四" in text and "<script>" not in text
    assert "<strong>沪A12345</strong>" in text  # the file's own markup stays
    assert "多¥500.00" in text and "上年无出险 &amp; 续保" in text
    assert "续保保险公司" in text  # the file's company
    english_title, english = script.render("en", {**FIELDS, "change_up": False})
    assert english_title == "Renewal call script"
    assert "¥500.00 less than last year" in "".join(s.html for s in english)


def test_a_language_the_file_lacks_falls_back_to_chinese(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[zh_CN]\ntitle = "话术"\n[[zh_CN.steps]]\ntitle = "一"\ntext = "{{ x }}"\n')
    title, steps = load_script(path).render("en", {"x": "<b>"})
    assert (title, steps[0].html) == ("话术", "&lt;b&gt;")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('[en]\n[[en.steps]]\ntitle = "a"\ntext = "b"\n', "zh_CN is missing"),
        ("[zh_CN]\ntitle = 1\n", "has no steps"),
        ('[zh_CN]\n[[zh_CN.steps]]\ntitle = "a"\n', "needs a title and a text"),
        ("[zh_CN\n", "Expected"),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ScriptError, match=why):
        load_script(path)
