"""The public surface of ``dialer.asterisk``, and the rule that keeps AMI inside it."""

from __future__ import annotations

import re
from pathlib import Path

import dialer.asterisk as asterisk
from dialer.telephony import TelephonyPort

REPO = Path(__file__).resolve().parents[4]
ALLOWED = ("dialer/asterisk/", "tests/", "bench/", "config/")  # config: the composition root


def test_every_exported_name_exists() -> None:
    for name in asterisk.__all__:
        assert hasattr(asterisk, name), name
    assert sorted(asterisk.__all__) == asterisk.__all__


def test_the_adapter_is_a_telephony_port() -> None:
    assert issubclass(asterisk.AmiTelephony, TelephonyPort)


def test_nothing_outside_the_package_imports_ami_names() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+dialer\.asterisk", re.M)
    offenders = []
    for path in REPO.rglob("*.py"):
        relative = path.relative_to(REPO).as_posix()
        if relative.startswith((".venv/", *ALLOWED)):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []
