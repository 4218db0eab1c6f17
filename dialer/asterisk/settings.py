"""Settings of the AMI backend, built once by the composition root and passed in."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AmiSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AmiSettings:
    """Everything the AMI adapter needs. Times in seconds; rates per second.

    Dial strings are templates so the same code drives any Asterisk: production
    ``PJSIP/{number}@trunk`` and ``PJSIP/{agent}``, the fixtures' Local-channel model
    ``Local/{number}@customer`` and ``Local/{agent}@agents/n``.
    """

    host: str = "127.0.0.1"
    port: int = 5038
    username: str
    secret: str = field(repr=False)  # never logged: repr hides it
    md5_login: bool = False
    # Login ``Events:`` classes: call (channels, dial, bridge, MixMonitor, ChanSpy), agent
    # (queues), user (UserEvent: XubaoAmd, XubaoAbandon), system (FullyBooted). Leaving out
    # ``dialplan`` drops VarSet/Newexten: 114 of 238 messages in fixture 02.
    event_classes: str = "call,agent,user,system"
    event_filters: tuple[str, ...] = ()
    customer_dial_template: str = "PJSIP/{number}@trunk"
    agent_interface_template: str = "PJSIP/{agent}"
    # The device a seat's queue state follows, when the member is not the phone itself
    # (``Local/{agent}@xubao-agents/n`` members follow ``PJSIP/{agent}``); "" = the member.
    agent_state_interface_template: str = ""
    supervisor_dial_template: str = "PJSIP/{supervisor}"
    context: str = "dialer"
    # route_to_agent() redirects the customer leg to ``<route_context>,<agent id>,1``;
    # play() sets XUBAO_PROMPT and redirects it to ``<play_context>,play,1``.
    route_context: str = "dialer-agent"
    play_context: str = "dialer-play"
    # Call controls (issue 11): hold() redirects the customer leg to ``<hold_context>,customer``
    # (music on hold) and the agent's to ``<hold_context>,agent`` (waits); transfers send the
    # customer to ``<transfer_context>,seat-<ext>`` or ``queue-<name>``.
    hold_context: str = "xubao-hold"
    transfer_context: str = "xubao-transfer"
    spy_ring_timeout_s: float = 15.0
    recording_root: str = "/var/spool/asterisk/monitor"
    stereo_option: str = "D"
    connect_timeout_s: float = 5.0
    action_timeout_s: float = 10.0
    ping_interval_s: float | None = 20.0
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    backoff_factor: float = 2.0
    originate_rate_per_s: float = 20.0
    originate_burst: int = 20
    event_queue_size: int = 10_000
    wait_for_amd: bool = True
    # Checked over AMI at start(): the prompts the dialplan plays must exist on Asterisk's
    # host, as <sounds_dir>/<sounds_language>/custom/<name>.wav (dialer.asterisk.prompts).
    required_prompts: tuple[str, ...] = ()
    sounds_dir: str = "/usr/share/asterisk/sounds"
    sounds_language: str = "en"
