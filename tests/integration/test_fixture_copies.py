"""tests/fixtures holds the design's shared/fixtures byte for byte.

A user's clone has no ``shared`` folder beside it, so the suite reads only the copies; where the
design folder is present (a developer's machine, CI), this test says when the two have drifted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.ami_transcripts import FIXTURES

REPO = Path(__file__).resolve().parents[2]


def _shared_fixtures() -> Path | None:
    # The design's folder sits beside the repository (or beside its worktree's folder).
    for parent in REPO.parents:
        candidate = parent / "shared" / "fixtures"
        if candidate.is_dir():
            return candidate
    return None


def _digests(root: Path) -> dict[str, str]:
    return {
        str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(root.rglob("*"))
        if f.is_file()
    }


def test_copies_hold_the_captures_the_suite_reads() -> None:
    names = {p.name for p in FIXTURES.iterdir()}
    assert {"asterisk-ami", "asterisk-ari"} <= names
    assert len(list((FIXTURES / "asterisk-ami").glob("*.raw.jsonl"))) >= 9
    assert (FIXTURES / "asterisk-ami" / "README.md").is_file()
    assert (FIXTURES / "asterisk-ari" / "README.md").is_file()


def test_copies_equal_the_shared_fixtures_byte_for_byte() -> None:
    shared = _shared_fixtures()
    if shared is None:
        pytest.skip("no shared/fixtures beside the repository (a user's clone): nothing to compare")
    for folder in ("asterisk-ami", "asterisk-ari"):
        ours, theirs = _digests(FIXTURES / folder), _digests(shared / folder)
        assert ours.keys() == theirs.keys(), f"{folder}: files differ"
        changed = [name for name in ours if ours[name] != theirs[name]]
        assert not changed, f"{folder}: bytes differ in {changed}"
