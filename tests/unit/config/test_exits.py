"""The README's table of exit codes is the one in config/exits.py, code for code."""

from __future__ import annotations

import re
from pathlib import Path

from config.exits import ExitCode

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_documents_every_exit_code_and_no_other() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("### Mistakes and exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}


def test_codes_are_distinct() -> None:
    assert len({int(c) for c in ExitCode}) == len(ExitCode)
