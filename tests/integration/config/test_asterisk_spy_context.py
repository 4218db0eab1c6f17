"""The shipped dialplan's ``[xubao-spy]``: listen, whisper and barge reach ChanSpy with the
options each mode needs (``q`` quiet always; ``w`` whisper only; ``B`` barge only)."""

from __future__ import annotations

import re

import pytest

from dialer.telephony.port import SpyMode
from tests.asterisk_conf import parse_file
from tests.asterisk_dialplan import Dialplan, load_dialplan, split_args
from tests.integration.config.test_asterisk_conf import OURS

SPY = "xubao-spy"
# The letters that make each mode what it is; every mode is quiet (no beep, no name played).
MODE_LETTERS = {SpyMode.LISTEN: "", SpyMode.WHISPER: "w", SpyMode.BARGE: "B"}


def _plan() -> Dialplan:
    plan, problems = load_dialplan(parse_file(OURS / "extensions.conf"))
    assert not problems
    return plan


def _options_set_by(mode: SpyMode) -> str:
    steps = _plan().find_exten(SPY, mode.value)
    assert steps is not None, f"{SPY} has no {mode.value} extension"
    assert [s.priority for s in steps] == list(range(1, len(steps) + 1))
    (options,) = [
        s.args.partition("=")[2]
        for s in steps
        if s.app == "Set" and s.args.startswith("XUBAO_SPY_OPTIONS=")
    ]
    assert steps[-1].app == "Goto" and split_args(steps[-1].args) == ["spy", "1"]
    return options


@pytest.mark.parametrize("mode", list(SpyMode))
def test_each_mode_sets_the_chanspy_options_it_needs(mode: SpyMode) -> None:
    options = _options_set_by(mode)
    assert "q" in options  # the agent and customer hear no beep when listening starts
    assert "b" in options and "E" in options  # bridged calls only; leave when the agent hangs up
    for other, letter in MODE_LETTERS.items():
        if letter:
            assert (letter in options) == (other is mode), (mode, options)
    assert re.fullmatch(r"[A-Za-z]+", options)


def test_the_spy_extension_runs_chanspy_on_the_target_with_those_options() -> None:
    steps = _plan().find_exten(SPY, "spy")
    assert steps is not None
    apps = [s.app for s in steps]
    assert apps == ["GotoIf", "Answer", "ChanSpy", "Hangup", "Hangup"]
    chanspy = steps[apps.index("ChanSpy")]
    assert split_args(chanspy.args) == ["${XUBAO_SPY_TARGET}", "${XUBAO_SPY_OPTIONS}"]
    # No target: hang up rather than run ChanSpy with an empty prefix (every call on the box).
    guard = steps[0]
    assert '"${XUBAO_SPY_TARGET}" = ""' in guard.args and "notarget" in guard.args
    (notarget,) = [s for s in steps if s.label == "notarget"]
    assert notarget.app == "Hangup"


def test_the_spy_context_reports_the_supervisors_hangup() -> None:
    steps = _plan().find_exten(SPY, "h")
    assert steps is not None
    assert steps[0].app == "UserEvent" and "Leg: supervisor" in steps[0].args
