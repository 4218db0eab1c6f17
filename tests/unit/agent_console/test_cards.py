"""Screen-pop cards: built in a worker thread once, taken at the connect, dropped at the end."""

from __future__ import annotations

import threading

from agent_console.cards import PopCards


class _Builder:
    def __init__(self) -> None:
        self.built: list[tuple[str, str]] = []
        self.threads: set[int] = set()

    def __call__(self, call_id: str, language: str) -> dict[str, object] | None:
        self.built.append((call_id, language))
        self.threads.add(threading.get_ident())
        return {"type": "pop", "call_id": call_id, "language": language}


async def test_a_card_prepared_at_the_answer_is_taken_without_a_second_build() -> None:
    build = _Builder()
    cards = PopCards(build=build)
    cards.prepare("c1", {"zh_CN", "en"})
    cards.prepare("c1", {"zh_CN"})  # a second answer event: not built again
    assert await cards.take("c1", "zh_CN") == {"type": "pop", "call_id": "c1", "language": "zh_CN"}
    assert (await cards.take("c1", "en")) is not None
    assert sorted(build.built) == [("c1", "en"), ("c1", "zh_CN")]
    assert threading.get_ident() not in build.threads  # never on the event loop's thread
    cards.prepare("c1", {"zh_CN"})
    cards.forget("c1")  # the call ended unanswered by us: the card is dropped
    assert len(cards) == 0


async def test_a_card_not_prepared_is_built_at_the_take_and_not_kept() -> None:
    build = _Builder()
    cards = PopCards(build=build)
    assert (await cards.take("c2", "en")) is not None
    assert (await cards.take("c2", "en")) is not None
    assert build.built == [("c2", "en"), ("c2", "en")] and len(cards) == 0


async def test_only_the_newest_cards_are_kept() -> None:
    cards = PopCards(build=_Builder(), limit=3)
    for n in range(5):
        cards.prepare(f"c{n}", {"zh_CN"})
    assert len(cards) == 3
    cards.forget("c0")  # already dropped: nothing to do
    assert len(cards) == 3
