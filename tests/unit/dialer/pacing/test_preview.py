from dialer.pacing import PreviewPacer
from tests.unit.dialer.pacing.factories import snapshot


def test_preview_never_places_automatic_calls_even_with_idle_agents() -> None:
    assert PreviewPacer().calls_to_place(snapshot(ready_agents=10, busy_agents=())) == 0


def test_preview_places_nothing_with_no_agent_logged_in() -> None:
    snap = snapshot(agents_logged_in=0, ready_agents=0, busy_agents=())
    assert PreviewPacer().calls_to_place(snap) == 0
