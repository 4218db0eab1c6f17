"""A simulated customer who answers and hangs up at once (issue 9, item 7; fixture 09's order):
ringing, answered, then the customer's hangup inside the connect limit, with no abandon and
no safe message; stored as ``customer_hung_up``, out of the abandon rate."""

from __future__ import annotations

from pathlib import Path

from dialer.calls.ledger import CallLedger
from dialer.calls.states import Outcome
from dialer.simulated import run_virtual
from dialer.telephony import CallAnswered, CallHungUp, CallRinging, HangupParty
from tests.integration.dialer.simulated.support import drive, network, of_type, only, request, shape


def test_a_customer_who_hangs_up_at_once(tmp_path: Path) -> None:
    async def main() -> tuple[list[str], HangupParty, Outcome | None]:
        net = network(tmp_path, only("human", hang_up_at_once_share=1.0))
        await net.start()  # no seat: only the customer's own hangup can end it this early
        events = await drive(net, [request("c-1")])
        await net.close()
        ledger = CallLedger()
        ledger.begin("c-1", at=events[0].at)
        for event in events:
            if not isinstance(event, CallRinging | CallAnswered | CallHungUp):
                continue
            ledger.apply(event)
        (hangup,) = of_type(events, CallHungUp)
        return shape(events, "c-1"), hangup.party, ledger.get("c-1").outcome

    names, party, outcome = run_virtual(main())
    assert names == [CallRinging.__name__, CallAnswered.__name__, CallHungUp.__name__]
    assert party is HangupParty.CUSTOMER
    assert outcome is Outcome.CUSTOMER_HUNG_UP
