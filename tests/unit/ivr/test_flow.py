"""Flows as data: the shipped ones load and hold together; a bad file names file, node, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.errors import FlowInvalid
from ivr.flow import Collect, GoToFlow, load_flow, load_flows, shipped_flows_dir


def test_shipped_flows_load() -> None:
    flows = load_flows(shipped_flows_dir())
    assert set(flows) == {"inbound_callback", "reminder", "opt_out_confirm"}
    for flow_id in ("inbound_callback", "reminder"):
        menu = flows[flow_id].nodes["menu"]
        assert isinstance(menu, Collect) and set(menu.choices) == {"1", "2", "9"}
        opt_out = flows[flow_id].nodes[menu.choices["9"]]
        assert isinstance(opt_out, GoToFlow) and opt_out.flow == "opt_out_confirm"


def _write(tmp_path: Path, text: str, name: str = "f.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
id = "x"
start = "a"
[nodes.a]
type = "play"
say = ["xubao/welcome"]
next = "b"
[nodes.b]
type = "hangup"
"""


@pytest.mark.parametrize(
    ("change", "node", "field", "words"),
    [
        (('next = "b"', 'next = "zz"'), "a", "next", "no node 'zz'"),
        (('type = "play"', 'type = "dance"'), "a", "type", "unknown node type"),
        (('say = ["xubao/welcome"]', 'say = ["{colour}"]'), "a", "say", "unknown fact"),
        (('say = ["xubao/welcome"]', 'say = ["../../etc/passwd"]'), "a", "say", "'..'"),
        (('say = ["xubao/welcome"]', "say = []"), "a", "say", "at least one"),
        (('start = "a"', 'start = "q"'), "(flow)", "start", "no node 'q'"),
    ],
)
def test_bad_flows_name_node_and_field(
    tmp_path: Path, change: tuple[str, str], node: str, field: str, words: str
) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(FlowInvalid) as failure:
        load_flow(path)
    assert (failure.value.source, failure.value.node, failure.value.field) == (
        str(path),
        node,
        field,
    )
    assert words in failure.value.reason


def test_collect_checks_keys_and_numbers(tmp_path: Path) -> None:
    text = GOOD.replace(
        'type = "hangup"',
        'type = "collect"\nsay = ["m"]\nchoices = { "12" = "a" }\non_failure = "a"',
    )
    with pytest.raises(FlowInvalid, match=r"choices\.12"):
        load_flow(_write(tmp_path, text))
    text = text.replace('"12"', '"1"') + "timeout_s = 0\n"
    with pytest.raises(FlowInvalid, match="timeout_s"):
        load_flow(_write(tmp_path, text))


def test_syntax_errors_and_unknown_flows_and_twins(tmp_path: Path) -> None:
    with pytest.raises(FlowInvalid, match="syntax"):
        load_flow(_write(tmp_path, "id = "))
    (tmp_path / "f.toml").unlink()
    _write(tmp_path, GOOD.replace('type = "hangup"', 'type = "flow"\nflow = "nope"'), "a.toml")
    with pytest.raises(FlowInvalid, match="no flow 'nope'"):
        load_flows(tmp_path)
    _write(tmp_path, GOOD, "a.toml")
    _write(tmp_path, GOOD, "b.toml")
    with pytest.raises(FlowInvalid, match="also in"):
        load_flows(tmp_path)
