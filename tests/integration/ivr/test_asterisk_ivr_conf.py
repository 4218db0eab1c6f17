"""The IVR's side of config/asterisk/: the dialplan reaches what the IVR sends, and ari.conf /
http.conf agree with the IVR's default settings."""

from __future__ import annotations

from pathlib import Path

from config.ivr_settings import IvrSettings
from ivr.ari.driver import TRANSFER_CONTEXT, AriCall
from ivr.port import Destination
from tests.asterisk_conf import parse_file
from tests.asterisk_dialplan import load_dialplan

OURS = Path(__file__).resolve().parents[3] / "config" / "asterisk"


def _plan():  # type: ignore[no-untyped-def]
    plan, problems = load_dialplan(parse_file(OURS / "extensions.conf"))
    assert not problems
    return plan


class _Rest:
    """Records the continue the driver asks for (a small real class, not a mock)."""

    def __init__(self) -> None:
        self.continued: list[tuple[str, str, int]] = []

    async def continue_in_dialplan(
        self, channel_id: str, *, context: str = "", extension: str = "", priority: int = 0
    ) -> None:
        self.continued.append((context, extension, priority))


async def test_transfers_land_on_a_seat_or_a_queue() -> None:
    plan = _plan()
    rest = _Rest()
    call = AriCall(channel_id="c1", rest=rest)  # type: ignore[arg-type]
    await call.transfer(Destination(kind="agent", name="1001"))
    await call.transfer(Destination(kind="queue", name="renewal-2026q4"))
    (seat_ctx, seat, _), (queue_ctx, queue, _) = rest.continued
    assert seat_ctx == queue_ctx == TRANSFER_CONTEXT
    seat_steps = plan.find_exten(TRANSFER_CONTEXT, seat)
    queue_steps = plan.find_exten(TRANSFER_CONTEXT, queue)
    assert seat_steps is not None and queue_steps is not None
    assert [s.app for s in seat_steps] == ["NoOp", "Dial", "Goto"]
    assert seat_steps[1].args.startswith("PJSIP/${EXTEN:5},")  # "seat-" is five characters
    assert queue_steps[1].app == "Queue" and queue_steps[1].args.startswith("${EXTEN:6},")


def test_reminder_dial_template_and_inbound_entry_reach_the_stasis_app() -> None:
    plan = _plan()
    settings = IvrSettings()
    endpoint = settings.reminder_dial_template.format(number="13800138001")
    number, context = endpoint.removeprefix("Local/").split("@")
    steps = plan.find_exten(context, number)
    assert steps is not None and [s.app for s in steps] == ["NoOp", "Dial", "Hangup"]
    inbound = plan.find_exten("xubao-inbound", "+8613800138001")
    assert inbound is not None and inbound[1].app == "Stasis"
    assert inbound[1].args == "${XUBAO_IVR_APP},inbound,${EXTEN}"
    (globals_,) = parse_file(OURS / "extensions.conf").named("globals")
    assert globals_.first("XUBAO_IVR_APP") == settings.ari_app


def test_ari_user_and_http_port_match_the_ivr_defaults() -> None:
    settings = IvrSettings()
    (user,) = parse_file(OURS / "ari.conf").named(settings.ari_user)
    assert user.first("type") == "user" and user.first("read_only") == "no"
    assert user.first("password") == settings.ari_password.get_secret_value()  # placeholder
    (general,) = parse_file(OURS / "http.conf").named("general")
    assert settings.ari_url == f"http://{general.first('bindaddr')}:{general.first('bindport')}"
