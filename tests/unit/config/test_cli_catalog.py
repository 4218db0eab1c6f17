"""Every message the CLI shows has its Chinese in config/locale/zh_CN/LC_MESSAGES/cli.po."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract

from config.messages import KEYWORDS, LOCALE_DIR, Messages, Phrase
from renewals.i18n import Catalog

CONFIG = Path(__file__).resolve().parents[3] / "config"


def _msgids() -> list[str]:
    found: list[str] = []
    for path in sorted(CONFIG.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        # Only modules that speak through the catalog (SQLAlchemy's text() is no msgid).
        if "config.messages" not in source:
            continue
        with path.open("rb") as fh:
            for _line, message, _comments, _context in extract("python", fh, keywords=KEYWORDS):
                # A plural's catalog key is its singular.
                found.append(message if isinstance(message, str) else message[0])
    return found


def test_the_extractor_finds_the_messages() -> None:
    found = _msgids()
    assert "bad command line: {message}; see `{prog} --help`" in found
    assert "{n} lead due at {at}" in found
    assert len(found) > 30


def test_every_cli_message_is_translated_to_chinese() -> None:
    assert Catalog(LOCALE_DIR, "cli").missing(_msgids()) == []


def test_an_error_line_is_chinese_then_english_on_one_line() -> None:
    line = Messages("zh_CN").error_line(
        "setting {setting}{shown} is invalid: {problem}",
        setting="XUBAO_TIMEZONE",
        shown="=Asia/Shangai",
        problem=Phrase("is not a time zone name such as Asia/Shanghai"),
    )
    assert line == (
        "xubao: 设置 XUBAO_TIMEZONE=Asia/Shangai 无效：不是时区名称（例如 Asia/Shanghai） | "
        "setting XUBAO_TIMEZONE=Asia/Shangai is invalid: "
        "is not a time zone name such as Asia/Shanghai"
    )


def test_english_alone_when_asked_and_line_breaks_are_folded() -> None:
    line = Messages("en").error_line("cannot import {file}: {reason}", file="a.csv", reason="x\ny")
    assert line == "xubao: cannot import a.csv: x y"
