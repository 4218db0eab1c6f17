"""tests/fixtures holds the design's shared/fixtures byte for byte, plus our own captures.

A user's clone has no ``shared`` folder beside it, so the suite reads only the copies; where the
design folder is present (a developer's machine, CI), this test says when the two have drifted.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.ami_transcripts import FIXTURES

REPO = Path(__file__).resolve().parents[2]
OWN = "OWN-CAPTURES.md"  # our own captures beside the design's (byte-exact copies)


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


def _own_captures(folder: Path) -> set[str]:
    """The files our own sessions captured, as listed in the folder's OWN-CAPTURES.md."""
    listing = folder / OWN
    if not listing.is_file():
        return set()
    stems = re.findall(r"^\| `([^`]+)\.\*` \|", listing.read_text(encoding="utf-8"), re.MULTILINE)
    found = {OWN}
    for stem in stems:
        found |= {p.name for p in folder.glob(f"{stem}.*")}
    return found


def test_own_captures_are_listed_and_present() -> None:
    own = _own_captures(FIXTURES / "asterisk-ami")
    assert {"10-call-controls.raw.jsonl", "10-call-controls.txt"} <= own


def test_copies_equal_the_shared_fixtures_byte_for_byte() -> None:
    shared = _shared_fixtures()
    if shared is None:
        pytest.skip("no shared/fixtures beside the repository (a user's clone): nothing to compare")
    for folder in ("asterisk-ami", "asterisk-ari"):
        ours, theirs = _digests(FIXTURES / folder), _digests(shared / folder)
        extra = _own_captures(FIXTURES / folder)
        assert ours.keys() - extra == theirs.keys(), f"{folder}: files differ"
        changed = [name for name in theirs if ours[name] != theirs[name]]
        assert not changed, f"{folder}: bytes differ in {changed}"
