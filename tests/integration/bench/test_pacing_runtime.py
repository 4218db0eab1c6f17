"""The pacing benchmark's runtime engine: a tiny profile for a few simulated minutes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bench import pacing_runtime
from bench.pacing_rt.metrics import seat_times
from bench.pacing_rt.shift import START
from bench.pacing_sim.profile import parse_profile
from config.db import create_db_engine, make_session_factory
from dialer.models import SeatEvent, SeatState
from dialer.simulated import SimProfile
from migrations.metadata import target_metadata

TINY = {
    "name": "tiny",
    "agents": 3,
    "shift_hours": 8,
    "outcomes": {"human": 0.4, "machine": 0.1, "busy": 0.05, "failed": 0.02},
    "human_drift_to": None,
    "ring_s": {"mean": 6, "sd": 3},
    "talk_s": {"mean": 40, "sd": 20},
    "wrap_s": {"mean": 8, "sd": 4},
    "amd_s": 2.5,
    "max_ring_s": 20,
    "abandon_after_s": 2,
    "max_lines_per_agent": 3,
    "abandon_cap": 0.03,
}
FIELDS = {
    "utilisation",
    "abandon_rate",
    "mean_wait_s",
    "calls_placed",
    "live_answers",
    "abandoned",
    "connects_per_agent_hour",
}


@pytest.fixture
def tiny_profile(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY))
    return path


def test_two_pacers_on_the_runtime_give_sane_figures_from_the_database() -> None:
    profile = SimProfile.from_mapping(TINY)
    runs = pacing_runtime.run_profile(
        profile, seed=5, hours=0.1, names=("progressive", "predictive")
    )
    des_profile = parse_profile({**TINY, "shift_hours": 0.1})
    out = pacing_runtime.runtime_report(des_profile, 5, 0.1, runs)
    assert out["engine"] == "runtime" and out["profile"] == "tiny" and out["seed"] == 5
    assert set(out["pacers"]) == {"progressive", "predictive"}
    assert "oracle" in out["not_run"]
    for name, row in out["pacers"].items():
        assert set(row) == FIELDS, name
        assert 0.0 < row["utilisation"] <= 1.0
        assert 0 <= row["abandoned"] <= row["live_answers"] <= row["calls_placed"]
        assert row["calls_placed"] > 10 and row["live_answers"] > 0
        assert row["abandon_rate"] == pytest.approx(row["abandoned"] / row["live_answers"])
        assert row["mean_wait_s"] >= 0.0 and row["connects_per_agent_hour"] > 0.0
        assert 0 < out["untouched_leads"][name] < out["leads"][name]  # the list never ran dry
        assert 0 <= out["abandoned_first_10_min"][name] <= row["abandoned"]
    # Progressive places one call per uncovered ready agent: an answer always finds one.
    assert out["pacers"]["progressive"]["abandoned"] == 0


def test_json_output_carries_both_engines(
    tiny_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pacing_runtime.main(["--profile", str(tiny_profile), "--hours", "0.05", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["engine"] == "runtime" and out["hours"] == 0.05
    assert set(out["pacers"]) == set(pacing_runtime.RUNTIME_PACERS)
    assert out["des"]["engine"] == "des"
    assert set(out["des"]["pacers"]) == {*pacing_runtime.RUNTIME_PACERS, "oracle"}
    assert all(set(row) == FIELDS for row in out["des"]["pacers"].values())


def test_a_bad_profile_is_an_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**TINY, "outcomes": {"human": 0.9, "machine": 0.5}}))
    assert pacing_runtime.main(["--profile", str(bad)]) == 2
    assert "error" in capsys.readouterr().err


def test_seat_times_clip_the_history_to_the_shift(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'seats.db'}")
    target_metadata.create_all(engine)
    sessions = make_session_factory(engine)
    history = [
        (-30, SeatState.READY),  # logged in before the shift: counted from its start
        (10, SeatState.ON_CALL),
        (70, SeatState.WRAP_UP),
        (90, SeatState.READY),
        (95, SeatState.PAUSED),
        (100, SeatState.READY),
        (130, SeatState.ON_CALL),  # the shift ends at 150 during this call
        (400, SeatState.WRAP_UP),
    ]
    with sessions.begin() as session:
        for seconds, state in history:
            session.add(SeatEvent(agent_id="1001", campaign_id="c", at=_at(seconds), state=state))
    with sessions() as session:
        times = seat_times(session, campaign_id="c", start=_at(0), end=_at(150))
    engine.dispose()
    assert times.logged_in_s == pytest.approx(150.0)
    assert times.busy_s == pytest.approx(60 + 20 + 20)
    assert times.waits_s == (pytest.approx(10.0), pytest.approx(30.0))


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)
