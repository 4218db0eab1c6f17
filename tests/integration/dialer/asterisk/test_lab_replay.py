"""Issue 9 on the bytes of scenarios 06-09: the project's own client on a real Asterisk."""

from __future__ import annotations

from dialer.telephony.events import CallAbandoned, CustomerOptedOut
from tests.integration.dialer.asterisk.lab import (
    LAB_QUEUE,
    for_call,
    lab_port,
    lab_request,
    until_hung_up,
)
from tests.integration.dialer.asterisk.scenarios import call_shape

CALL_07 = "363ef746a141445789ecf88304e61a69"


async def test_optout_userevent_07() -> None:
    # Item 4: the customer pressed 9 during the safe message; the dialplan said XubaoOptOut.
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", "xubao-6", "xubao-7"]
    async with lab_port("07", ids) as lab:
        await lab.port.add_seat("1001", queue=LAB_QUEUE, name="坐席1001")
        await lab.port.pause_seat("1001", queue=LAB_QUEUE, paused=True, reason="break")
        await lab.port.originate(lab_request(CALL_07, "15759854071", lead_id="22"))
        seen = await until_hung_up(lab.events, {CALL_07})
        await lab.port.remove_seat("1001", queue=LAB_QUEUE)
    events = for_call(seen, CALL_07)
    (opted,) = [e for e in events if isinstance(e, CustomerOptedOut)]
    assert opted.digit == "9"
    assert opted.ref.channel == "Local/15759854071@lab-customer-00000000;1"
    # The opt-out comes after the abandon (safe message) and before the end of the call.
    names = [type(e).__name__ for e in events]
    assert (
        names.index("CallAbandoned") < names.index("CustomerOptedOut") < names.index("CallHungUp")
    )
    assert any(isinstance(e, CallAbandoned) for e in events)
    assert call_shape(events)[-1] == "CallHungUp(customer,16)"
