"""config/asterisk/*.conf parse as Asterisk 22 reads them, and hold together.

No Asterisk binary runs here, so tests/asterisk_conf.py reads the files with
Asterisk's syntax rules. It must first read every config file a real
Asterisk 22.10.1 ran with (tests/fixtures/*/config/) without an error:
that is the proof it knows the real syntax. Then our files are read and
checked; the negative tests show each check can fail, naming file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dialer.asterisk.controls import consult_digits, transfer_exten
from dialer.asterisk.settings import AmiSettings
from dialer.telephony.port import TargetKind, TransferTarget
from tests.ami_transcripts import FIXTURES
from tests.asterisk_checks import (
    check_manager,
    check_modules,
    check_pjsip,
    check_queues,
    loaded_modules,
)
from tests.asterisk_conf import ConfigFile, ConfigSyntaxError, parse_file
from tests.asterisk_dialplan import (
    Dialplan,
    Problem,
    check_applications,
    check_balanced,
    check_h_extensions,
    check_jump_targets,
    load_dialplan,
)

REPO = Path(__file__).resolve().parents[3]
OURS = REPO / "config" / "asterisk"


def _fixtures_dir() -> Path:
    """The repository's byte-exact copy of the captures (with the config Asterisk ran with)."""
    return FIXTURES


FIXTURE_CONFIG_DIRS = sorted(p for p in _fixtures_dir().glob("*/config") if p.is_dir())
FIXTURE_FILES = sorted(f for d in FIXTURE_CONFIG_DIRS for f in d.glob("*.conf"))
OUR_FILES = sorted(OURS.glob("*.conf"))


def _explain(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def _dialplan(directory: Path) -> tuple[Dialplan, list[Problem]]:
    return load_dialplan(parse_file(directory / "extensions.conf"))


def _all_dialplan_problems(directory: Path) -> list[Problem]:
    plan, problems = _dialplan(directory)
    loaded = loaded_modules(parse_file(directory / "modules.conf"))
    return [
        *problems,
        *check_applications(plan, loaded),
        *check_balanced(plan),
        *check_jump_targets(plan),
    ]


# ------------------------------------------------ the reader knows real syntax


def test_fixtures_hold_the_configs_of_both_captures() -> None:
    assert {d.parent.name for d in FIXTURE_CONFIG_DIRS} == {"asterisk-ami", "asterisk-ari"}
    assert len(FIXTURE_FILES) >= 20


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_real_fixture_config_file_parses(path: Path) -> None:
    config = parse_file(path)
    assert config.path == path


def test_fixture_manager_conf_reads_as_the_readme_describes() -> None:
    config = parse_file(_fixtures_dir() / "asterisk-ami" / "config" / "manager.conf")
    (dialer,) = config.named("dialer")
    (wallboard,) = config.named("wallboard")
    assert (dialer.first("read"), dialer.first("write")) == ("all", "all")
    assert (wallboard.first("read"), wallboard.first("write")) == ("agent,call", "reporting")


def test_fixture_queue_members_are_objects_with_their_names() -> None:
    config = parse_file(_fixtures_dir() / "asterisk-ami" / "config" / "queues.conf")
    (sales,) = config.named("sales")
    members = [s for s in sales.settings if s.key == "member"]
    assert all(m.is_object for m in members)
    assert [m.value for m in members] == [
        "Local/1001@agents/n,0,Agent Alice",
        "Local/1002@agents/n,0,Agent Bob",
    ]


def test_fixture_supervisor_loop_label_is_read() -> None:
    plan, problems = _dialplan(_fixtures_dir() / "asterisk-ami" / "config")
    assert not problems
    labels = [s.label for s in plan.contexts["supervisor"]["9000"]]
    assert labels == [None, None, None, "listen", None]


@pytest.mark.parametrize("directory", FIXTURE_CONFIG_DIRS, ids=lambda d: d.parent.name)
def test_fixture_dialplans_pass_the_checks_our_dialplan_must_pass(directory: Path) -> None:
    problems = _all_dialplan_problems(directory)
    problems += check_modules(parse_file(directory / "modules.conf"), set())
    assert not problems, _explain(problems)


# ------------------------------------------------------------- our files


def test_all_expected_files_are_there() -> None:
    names = {p.name for p in OUR_FILES}
    assert {"manager.conf", "extensions.conf", "queues.conf", "pjsip.conf", "modules.conf"} <= names
    assert "amd.conf" in names  # app_amd declines to load without it


@pytest.mark.parametrize("path", OUR_FILES, ids=lambda p: p.name)
def test_every_xubao_config_file_parses(path: Path) -> None:
    assert parse_file(path).sections


def test_every_xubao_context_has_an_h_extension() -> None:
    plan, _ = _dialplan(OURS)
    assert len(plan.contexts) >= 8
    problems = check_h_extensions(plan)
    assert not problems, _explain(problems)
    for context, extens in plan.contexts.items():
        (hangup,) = extens["h"]
        assert hangup.app == "UserEvent", context
        assert hangup.args.startswith("XubaoHangup,CallId: ${XUBAO_CALL_ID},"), context
        assert "Cause: ${HANGUPCAUSE}" in hangup.args and "Leg: " in hangup.args, context


def test_xubao_dialplan_steps_apps_functions_brackets_and_targets_are_valid() -> None:
    problems = _all_dialplan_problems(OURS)
    assert not problems, _explain(problems)


def test_originate_contract_lands_on_the_dialer_and_each_queue() -> None:
    plan, _ = _dialplan(OURS)
    queues = [s.name for s in parse_file(OURS / "queues.conf").concrete() if s.name != "general"]
    assert queues
    for queue in queues:
        steps = plan.find_exten("xubao-dialer", queue)
        assert steps is not None and steps[0].priority == 1, queue
    # Asterisk runs "failed" after a failed async Originate: it must not reach Queue().
    assert [s.app for s in plan.contexts["xubao-dialer"]["failed"]] == ["NoOp", "Hangup"]


def test_answered_call_runs_amd_records_in_stereo_and_queues_with_the_limit() -> None:
    plan, _ = _dialplan(OURS)
    steps = plan.find_exten("xubao-dialer", "renewal-2026q4")
    assert steps is not None
    by_app = {s.app: s for s in steps}
    assert list(by_app)[:2] == ["NoOp", "Set"]
    amd_event = next(s for s in steps if s.args.startswith("XubaoAmd,"))
    assert amd_event.args == (
        "XubaoAmd,AmdStatus: ${AMDSTATUS},AmdCause: ${AMDCAUSE},CallId: ${XUBAO_CALL_ID}"
    )
    file_name, options, command = by_app["MixMonitor"].args.split(",", 2)
    assert file_name.endswith(".raw") and "D" in options and "b" in options
    assert ".wav" in command  # D must write .raw; sox makes the .wav
    # Item 6: the recording contract, announced before MixMonitor starts.
    names = [s.app for s in steps]
    recording = next(s for s in steps if s.args.startswith("XubaoRecording,"))
    assert recording.args == "XubaoRecording,CallId: ${XUBAO_CALL_ID},Path: ${XUBAO_RECPATH}.wav"
    assert steps.index(recording) < names.index("MixMonitor")
    assert file_name == "${XUBAO_REC}.raw"
    assert any(s.args == "XUBAO_REC=${RECDIR}/${XUBAO_RECPATH}" for s in steps)
    queue_name, queue_options, _, _, limit = by_app["Queue"].args.split(",")[:5]
    assert (queue_name, limit) == ("${EXTEN}", "${XUBAO_CONNECT_LIMIT}")
    assert queue_options.startswith("n")  # no second ring round past the limit
    (globals_,) = parse_file(OURS / "extensions.conf").named("globals")
    assert globals_.first("XUBAO_CONNECT_LIMIT") == "2"


def test_queue_template_enforces_the_2_second_rule() -> None:
    config = parse_file(OURS / "queues.conf")
    problems = check_queues(config)
    assert not problems, _explain(problems)
    (campaign,) = config.named("renewal-2026q4")
    assert campaign.templates == ("xubao-campaign",)
    assert campaign.first("timeout") == "2"
    assert campaign.first("timeoutpriority") == "app"
    assert campaign.first("ringinuse") == "no"
    assert campaign.first("autofill") == "yes"
    assert "inuse" in (campaign.first("joinempty") or "")


def test_manager_users_are_complete_and_the_dialer_skips_the_dialplan_flood() -> None:
    config = parse_file(OURS / "manager.conf")
    problems = check_manager(config)
    assert not problems, _explain(problems)
    (xubao,) = config.named("xubao")
    read = set((xubao.first("read") or "").split(","))
    assert "user" in read and "dialplan" not in read and "all" not in read
    assert "command" not in (xubao.first("write") or "")
    filters = [s.key for s in xubao.settings if s.key.startswith("eventfilter")]
    assert filters == [
        "eventfilter(action(exclude),name(VarSet))",
        "eventfilter(action(exclude),name(Newexten))",
    ]
    (wallboard,) = config.named("wallboard")
    assert wallboard.first("write") == "reporting"
    for user in (xubao, wallboard):
        assert (user.first("secret") or "").startswith("CHANGE-ME")


def test_pjsip_sections_have_valid_types_and_references() -> None:
    config = parse_file(OURS / "pjsip.conf")
    problems = check_pjsip(config)
    assert not problems, _explain(problems)
    kinds = {(s.name, s.first("type")) for s in config.concrete()}
    assert {("trunk", "endpoint"), ("trunk", "aor"), ("trunk-reg", "registration")} <= kinds
    assert {("1001", "endpoint"), ("1002", "endpoint"), ("trunk-identify", "identify")} <= kinds


def test_modules_conf_lists_every_dependency_and_amd_has_its_config() -> None:
    config = parse_file(OURS / "modules.conf")
    problems = check_modules(config, {p.name for p in OUR_FILES})
    assert not problems, _explain(problems)
    assert {"res_ari", "res_websocket_client", "res_sorcery_config"} <= loaded_modules(config)


# --------------------------------------------- the checks can fail, and say where


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_line_without_equals_fails_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "queues.conf", "[general]\nautofill = yes\nringinuse no\n")
    with pytest.raises(ConfigSyntaxError) as failure:
        parse_file(path)
    assert failure.value.where.line == 3
    assert str(failure.value).startswith(f"{path}:3: no '='")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("key = value\n", 1, "before any [section]"),
        ("[a]\nx = 1\n[b\n", 3, "no closing ']'"),
        ("[a]\n;-- opened\nx = 1\n", 2, "never closed"),
        ("[a](missing)\n", 1, "template 'missing'"),
        ("[a]\n#include nothere.conf\n", 2, "not found"),
        ("[a]\n#exec /bin/true\n", 2, "unknown directive"),
    ],
)
def test_each_syntax_error_names_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigSyntaxError) as failure:
        parse_file(_write(tmp_path, "bad.conf", text))
    assert failure.value.where.line == line
    assert words in failure.value.message


def test_comments_escapes_templates_and_includes_follow_asterisk_rules(tmp_path: Path) -> None:
    _write(tmp_path, "more.conf", "extra = from include\n")
    text = (
        "[tpl](!)\n"
        "type = endpoint ; trailing comment\n"
        ";-- a block comment\n"
        " ;-- nested --; still inside\n"
        "ignored = yes --;\n"
        "[one](tpl)\n"
        "header = a\\;b\n"
        "#tryinclude absent.conf\n"
        "#include more.conf\n"
        "member => x,1\n"
    )
    config = parse_file(_write(tmp_path, "ok.conf", text))
    (tpl,) = config.named("tpl")
    (one,) = config.named("one")
    assert tpl.is_template and config.concrete() == [one]
    assert [(s.key, s.value) for s in one.settings] == [
        ("type", "endpoint"),
        ("header", "a;b"),
        ("extra", "from include"),
        ("member", "x,1"),
    ]
    assert one.settings[-1].is_object


def test_dialplan_checks_report_each_broken_line(tmp_path: Path) -> None:
    text = (
        "[globals]\n"
        "[calls]\n"
        "exten => s,1,NoOp(start)\n"  # 3
        " same => 3,Macro(old)\n"  # 4: gap, and Macro left in Asterisk 21
        " same => n,Goto(nowhere,s,1)\n"  # 5
        " same => n,GotoIf($[${X} = 1]?nolabel)\n"  # 6
        " same => n,Set(Y=${CUT(X)\n"  # 7: ${ never closed
        " same => n,NoOp(${NOSUCHFUNC(1)})\n"  # 8
        "exten => h,1,Hangup()\n"
        "[nohangup]\n"  # 10
        "exten => s,1,Hangup()\n"
    )
    path = _write(tmp_path, "extensions.conf", text)
    plan, problems = load_dialplan(parse_file(path))
    problems += check_applications(plan) + check_balanced(plan) + check_jump_targets(plan)
    problems += check_h_extensions(plan)
    by_line: dict[int, str] = {}
    for problem in problems:
        by_line[problem.where.line] = by_line.get(problem.where.line, "") + problem.message + "|"
    assert "priority 3 of s@calls: expected 2" in by_line[4]
    assert "unknown application Macro()" in by_line[4]
    assert "no context [nowhere]" in by_line[5]
    assert "no label 'nolabel'" in by_line[6]
    assert "never closed: missing ')}'" in by_line[7]
    assert "unknown function NOSUCHFUNC()" in by_line[8]
    assert "[nohangup] has no 'h' extension" in by_line[10]
    assert sorted(by_line) == [4, 5, 6, 7, 8, 10]
    assert all(str(p).startswith(f"{path}:") for p in problems)


def test_other_file_checks_fail_on_bad_lines(tmp_path: Path) -> None:
    queues = _write(tmp_path, "queues.conf", "[q]\neventwhencalled = yes\njoinempty = nobody\n")
    manager = _write(tmp_path, "manager.conf", "[general]\n[u]\nread = call,bogus\nwrite = call\n")
    pjsip = _write(
        tmp_path, "pjsip.conf", "[e]\ntype = endpoints\n[f]\ntype = endpoint\naors = g\n"
    )
    modules = _write(
        tmp_path, "modules.conf", "[modules]\nload => res_ari.so\nload => app_amd.so\n"
    )
    lines = {
        "queues": sorted(p.where.line for p in check_queues(parse_file(queues))),
        "manager": sorted(p.where.line for p in check_manager(parse_file(manager))),
        "pjsip": sorted(p.where.line for p in check_pjsip(parse_file(pjsip))),
        "modules": sorted(p.where.line for p in check_modules(parse_file(modules), set())),
    }
    assert lines == {
        "queues": [2, 3],
        "manager": [2, 3],  # no secret (section line), unknown class "bogus"
        "pjsip": [1, 5],
        "modules": [2, 2, 2, 3],  # res_ari without its three needs; app_amd without amd.conf
    }


def test_a_config_file_object_lists_sections_in_file_order(tmp_path: Path) -> None:
    config: ConfigFile = parse_file(_write(tmp_path, "x.conf", "[b]\n[a]\n[b]\n"))
    assert [s.name for s in config.sections] == ["b", "a", "b"]


def test_deploy_doc_names_every_setting_and_check_command() -> None:
    doc = (REPO / "docs" / "deploy-asterisk.md").read_text(encoding="utf-8")
    for name in (
        "XUBAO_TELEPHONY",
        "XUBAO_AMI_HOST",
        "XUBAO_AMI_PORT",
        "XUBAO_AMI_USER",
        "XUBAO_AMI_SECRET",
        "XUBAO_CUSTOMER_DIAL_TEMPLATE",
        "XUBAO_AGENT_INTERFACE_TEMPLATE",
        "PJSIP/{number}@trunk",
        "PJSIP/{agent}",
        "dialplan show xubao-dialer",
        "queue show",
        "manager show users",
    ):
        assert name in doc, name
    for path in OUR_FILES:
        assert f"`{path.name}`" in doc, path.name


# ------------------------------------------------------------ issue 9, items 10 and 13


def _dial_options(plan: Dialplan, context: str, exten: str, app: str) -> list[str]:
    steps = plan.find_exten(context, exten)
    assert steps is not None, (context, exten)
    found = []
    for step in steps:
        if step.app == app:
            args = step.args.split(",")
            found.append(args[1] if app == "Queue" else args[2])
    assert found, (context, exten, app)
    return found


def test_agent_identity_never_reaches_the_trunk_item10() -> None:
    # Every leg that reaches an agent ignores its connected-line updates (option I), and
    # the trunk endpoint neither sends nor trusts connected-line updates.
    plan, _ = _dialplan(OURS)
    queue_options = _dial_options(plan, "xubao-dialer", "renewal-2026q4", "Queue")
    seat_options = _dial_options(plan, "xubao-agents", "_X.", "Dial")
    preview_options = _dial_options(plan, "xubao-route", "_X.", "Dial")
    for options in [*queue_options, *seat_options, *preview_options]:
        assert "I" in options.split("(")[0], options
    (trunk,) = [
        s for s in parse_file(OURS / "pjsip.conf").named("trunk") if s.first("type") == "endpoint"
    ]
    assert trunk.first("send_connected_line") == "no"
    assert trunk.first("trust_connected_line") == "no"
    assert trunk.first("send_pai") == "yes"  # the campaign's caller id still goes out as PAI


def test_no_answered_elsewhere_muddle_and_quiet_pjproject_item13() -> None:
    plan, _ = _dialplan(OURS)
    (queue_options,) = _dial_options(plan, "xubao-dialer", "renewal-2026q4", "Queue")
    assert "C" not in queue_options.split("(")[0]
    # res_pjproject is loaded (res_pjsip needs it), so its config file is shipped.
    assert "res_pjproject" in loaded_modules(parse_file(OURS / "modules.conf"))
    (startup,) = parse_file(OURS / "pjproject.conf").named("startup")
    assert startup.first("type") == "startup"


# ------------------------------------------------------------ issue 11: call controls


def test_call_control_contexts_answer_the_adapters_extensions() -> None:
    # dialer/asterisk/controls.py: hold redirects to <hold>,customer and <hold>,agent;
    # transfers to <transfer>,seat-<ext> and <transfer>,queue-<name>.
    plan, _ = _dialplan(OURS)
    settings = AmiSettings(username="x", secret="x")
    customer = plan.find_exten(settings.hold_context, "customer")
    agent = plan.find_exten(settings.hold_context, "agent")
    assert customer is not None and agent is not None
    assert "MusicOnHold" in [s.app for s in customer]
    assert "MusicOnHold" not in [s.app for s in agent]  # the agent waits in silence
    (globals_,) = parse_file(OURS / "extensions.conf").named("globals")
    assert int(globals_.first("XUBAO_HOLD_LIMIT") or "0") > 0  # a forgotten hold ends
    for target in (
        TransferTarget(TargetKind.AGENT, "1002"),
        TransferTarget(TargetKind.SUPERVISOR, "9000"),
        TransferTarget(TargetKind.QUEUE, "renewal-2026q4"),
    ):
        steps = plan.find_exten(settings.transfer_context, transfer_exten(target))
        assert steps is not None, target
    (seat_options,) = _dial_options(plan, settings.transfer_context, "seat-1002", "Dial")
    assert "I" in seat_options.split("(")[0]  # item 10: no agent identity toward the trunk
    seat = plan.find_exten(settings.transfer_context, "seat-1002")
    assert seat is not None and seat[-1].args == "queue-${XUBAO_QUEUE},1"  # never silence
    # The mute button's function lives in res_mutestream: it must be loaded.
    assert "res_mutestream" in loaded_modules(parse_file(OURS / "modules.conf"))


def test_attended_transfer_has_its_code_its_bridge_feature_and_digit_extensions() -> None:
    # Fixture 10 (a real Asterisk 22.10.1): without an atxfer code AMI Atxfer answers "No
    # attended transfer feature code found"; without option t on the Queue()/Dial() that
    # bridged the agent, its DTMF pass through to the customer; letters in Exten are no DTMF.
    (featuremap,) = parse_file(OURS / "features.conf").named("featuremap")
    assert featuremap.first("atxfer")
    assert not featuremap.first("blindxfer")  # option t arms it too: a stray # would start one
    plan, _ = _dialplan(OURS)
    settings = AmiSettings(username="x", secret="x")
    bridging = [
        ("xubao-dialer", "renewal-2026q4", "Queue"),
        (settings.transfer_context, "queue-renewal-2026q4", "Queue"),
        (settings.transfer_context, "seat-1002", "Dial"),
        ("xubao-route", "1002", "Dial"),
    ]
    for context, exten, app in bridging:
        (options,) = _dial_options(plan, context, exten, app)
        assert "t" in options.split("(")[0], (context, exten)
    digits = consult_digits(TransferTarget(TargetKind.AGENT, "1002"))
    assert digits == "1002#"
    (options,) = _dial_options(plan, settings.transfer_context, digits.rstrip("#"), "Dial")
    assert "I" in options.split("(")[0] and "t" in options.split("(")[0]


def test_a_consultation_never_falls_back_to_the_campaign_queue_11() -> None:
    # Fixture 11 (a real Asterisk 22.10.1), first run: the digits went on to seat-<ext>,
    # whose Dial() to an unavailable seat fell through to Goto(queue-...), and another
    # agent of the campaign queue answered the consultation. The consultation leg dials
    # the seat and, if that fails, only hangs up: Asterisk then returns the agent to the
    # customer (Unhold). A blind transfer (seat-<ext>) keeps its fallback to the queue.
    plan, _ = _dialplan(OURS)
    settings = AmiSettings(username="x", secret="x")
    steps = plan.find_exten(settings.transfer_context, "1002")
    assert steps is not None
    apps = [s.app for s in steps]
    assert "Dial" in apps and "Queue" not in apps and "Goto" not in apps and "GotoIf" not in apps
    assert steps[-1].app == "Hangup"
    (dial,) = [s for s in steps if s.app == "Dial"]
    assert dial.args.startswith("PJSIP/${EXTEN},")
    seat_timeout = int(dial.args.split(",")[1])
    (general,) = parse_file(OURS / "features.conf").named("general")
    assert int(general.first("atxfernoanswertimeout") or "0") < seat_timeout  # Asterisk's ends it
