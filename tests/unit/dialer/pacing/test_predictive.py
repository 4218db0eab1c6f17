from dialer.pacing import (
    AbandonWindow,
    PredictivePacer,
    PredictiveSettings,
    ProgressivePacer,
)
from tests.unit.dialer.pacing.factories import limits, on_call, snapshot, stats, wrapping

pacer = PredictivePacer()
settings = PredictiveSettings()
# Five agents about to finish wrap-up, five early in their calls: a moment to dial ahead.
ABOUT_TO_FREE = wrapping(*([18.0] * 5)) + on_call(*([10.0] * 5))


def test_no_agent_logged_in_places_nothing_whatever_the_data() -> None:
    snap = snapshot(agents_logged_in=0, ready_agents=0, busy_agents=())
    assert pacer.calls_to_place(snap) == 0


def test_all_agents_paused_places_nothing() -> None:
    snap = snapshot(agents_logged_in=5, ready_agents=0, busy_agents=())
    assert pacer.calls_to_place(snap) == 0


def test_too_little_data_falls_back_to_progressive() -> None:
    snap = snapshot(ready_agents=2, busy_agents=ABOUT_TO_FREE[2:], stats=stats(attempts=10))
    assert pacer.calls_to_place(snap) == ProgressivePacer().calls_to_place(snap) == 2


def test_too_few_live_answers_in_the_window_falls_back_to_progressive() -> None:
    snap = snapshot(busy_agents=ABOUT_TO_FREE, stats=stats(attempts=100, human_rate=0.02))
    assert pacer.calls_to_place(snap) == 0


def test_dials_ahead_for_agents_about_to_free_up() -> None:
    snap = snapshot(busy_agents=ABOUT_TO_FREE)
    assert ProgressivePacer().calls_to_place(snap) == 0
    assert pacer.calls_to_place(snap) > 0


def test_places_more_than_progressive_for_ready_agents_at_a_low_answer_rate() -> None:
    snap = snapshot(ready_agents=3, busy_agents=on_call(*([10.0] * 7)))
    assert pacer.calls_to_place(snap) > 3


def test_nothing_while_every_agent_just_started_a_call() -> None:
    assert pacer.calls_to_place(snapshot(busy_agents=on_call(*([1.0] * 10)))) == 0


def test_calls_already_ringing_reduce_the_calls_placed() -> None:
    idle = pacer.calls_to_place(snapshot(busy_agents=ABOUT_TO_FREE))
    covered = pacer.calls_to_place(
        snapshot(busy_agents=ABOUT_TO_FREE, dialing_elapsed_s=tuple([1.0] * 10))
    )
    assert covered < idle


def test_lines_cap_reached_places_nothing() -> None:
    snap = snapshot(busy_agents=ABOUT_TO_FREE, dialing_elapsed_s=tuple([24.0] * 25))
    assert snap.line_headroom() == 0
    assert pacer.calls_to_place(snap) == 0


def test_lines_cap_bounds_the_count() -> None:
    snap = snapshot(
        ready_agents=5,
        busy_agents=on_call(*([10.0] * 5)),
        stats=stats(human_rate=0.05, no_answer_rate=0.8),
        limits=limits(max_lines_per_agent=1.2),
    )
    assert pacer.calls_to_place(snap) == snap.line_headroom() == 7


def test_spent_abandon_budget_drops_the_risk_to_its_floor() -> None:
    over_cap = snapshot(
        busy_agents=ABOUT_TO_FREE, rolling=AbandonWindow(live_answers=1000, abandoned=60)
    )
    assert pacer.risk_threshold(over_cap) == settings.min_risk
    assert pacer.calls_to_place(over_cap) < pacer.calls_to_place(
        snapshot(busy_agents=ABOUT_TO_FREE)
    )


def test_unspent_budget_raises_the_risk_but_never_past_its_ceiling() -> None:
    # 0.85 x 3% x 40 answers = 1.02 abandons in hand: just past the minimum slack.
    one_in_hand = snapshot(rolling=AbandonWindow(live_answers=40, abandoned=0))
    banked = snapshot(rolling=AbandonWindow(live_answers=100_000, abandoned=0))
    assert settings.base_risk < pacer.risk_threshold(one_in_hand) < 2 * settings.base_risk
    assert pacer.risk_threshold(one_in_hand) < pacer.risk_threshold(banked) <= settings.max_risk


def test_with_less_than_one_abandon_in_hand_only_tiny_risks_are_taken() -> None:
    fresh = snapshot(rolling=AbandonWindow(live_answers=0, abandoned=0))
    just_spent = snapshot(rolling=AbandonWindow(live_answers=60, abandoned=1))
    assert pacer.risk_threshold(fresh) == settings.min_risk
    assert pacer.risk_threshold(just_spent) == settings.min_risk


def test_short_window_guard_drops_the_risk_to_its_floor() -> None:
    burst = snapshot(recent=AbandonWindow(live_answers=40, abandoned=5))
    assert pacer.risk_threshold(burst) == settings.min_risk


def test_short_window_guard_waits_for_enough_answers() -> None:
    few = snapshot(recent=AbandonWindow(live_answers=5, abandoned=2))
    assert pacer.risk_threshold(few) > settings.min_risk


def test_same_snapshot_same_answer() -> None:
    snap = snapshot(busy_agents=ABOUT_TO_FREE, dialing_elapsed_s=(3.0, 8.0))
    assert pacer.calls_to_place(snap) == PredictivePacer().calls_to_place(snap)
