from bench.pacing_baselines import IssabelPacer, VicidialAdaptTapered
from dialer.pacing import AbandonWindow
from tests.unit.dialer.pacing.factories import on_call, snapshot


def test_vicidial_starts_at_level_one_like_progressive_with_in_call_agents() -> None:
    pacer = VicidialAdaptTapered(shift_s=3600.0)
    snap = snapshot(ready_agents=2, busy_agents=on_call(*([10.0] * 8)))
    # round(1.0 * (8 in call + 2 ready)) - (8 live calls) = 2
    assert pacer.calls_to_place(snap) == 2


def test_vicidial_raises_its_level_while_agents_sit_ready() -> None:
    pacer = VicidialAdaptTapered(shift_s=3600.0)
    snap = snapshot(ready_agents=5, busy_agents=on_call(*([10.0] * 5)))
    for _ in range(40):
        pacer.calls_to_place(snap)
    assert 1.0 < pacer.level <= 3.0


def test_vicidial_tapers_when_drops_exceed_the_cap() -> None:
    calm = VicidialAdaptTapered(shift_s=3600.0)
    dropping = VicidialAdaptTapered(shift_s=3600.0)
    ready = snapshot(ready_agents=5, busy_agents=on_call(*([10.0] * 5)))
    over = snapshot(
        ready_agents=5,
        busy_agents=on_call(*([10.0] * 5)),
        rolling=AbandonWindow(live_answers=1000, abandoned=200),
    )
    for _ in range(40):
        calm.calls_to_place(ready)
        dropping.calls_to_place(over)
    assert dropping.level < calm.level


def test_vicidial_places_nothing_with_no_agent() -> None:
    pacer = VicidialAdaptTapered(shift_s=3600.0)
    assert pacer.calls_to_place(snapshot(agents_logged_in=0, ready_agents=0, busy_agents=())) == 0


def test_issabel_is_progressive_before_ten_completed_calls() -> None:
    snap = snapshot(
        ready_agents=3, busy_agents=on_call(1.0), rolling=AbandonWindow(live_answers=5, abandoned=0)
    )
    assert IssabelPacer().calls_to_place(snap) == 3


def test_issabel_divides_free_agents_by_the_answer_rate() -> None:
    snap = snapshot(ready_agents=2, busy_agents=on_call(1.0), dialing_elapsed_s=(1.0, 2.0))
    # 2 free / 0.20 answer rate - 2 pending = 8
    assert IssabelPacer().calls_to_place(snap) == 8
