"""The AMI bench's exactness check (no timing here: speed is only measured by the bench)."""

from __future__ import annotations

import pytest

from bench.ami_events import count_ours, exactness, fixture_body


def test_every_header_of_every_fixture_message_is_kept_exactly() -> None:
    result = exactness(fixture_body())
    assert result["messages"] == 714
    assert result["ours_exact"] == result["ours_count"] == 714
    assert result["split_utf8_ours"] == "张三"


def test_panoramisk_loses_final_empty_headers_and_split_utf8() -> None:
    pytest.importorskip("panoramisk")
    result = exactness(fixture_body())
    assert result["panoramisk_exact"] == 667  # 47 messages lose a final empty-valued header
    assert result["split_utf8_panoramisk"] != "张三"


def test_counting_run_sees_every_message() -> None:
    body = fixture_body()
    assert count_ours([b"Asterisk Call Manager/11.0.0\r\n" + body * 2]) == 2 * 714
