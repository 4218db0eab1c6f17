"""Settings sections for cadence and quoting map onto the domain's dataclasses."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from config.domain import cadence_rules, quote_rules
from config.errors import InvalidSetting
from config.settings import Settings
from renewals.cadence import DEFAULT_RULES, Outcome
from renewals.quoting import DEFAULT_QUOTE_RULES


def test_defaults_are_the_playbooks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    settings = Settings.load()
    assert cadence_rules(settings.cadence) == DEFAULT_RULES
    assert quote_rules(settings.quoting) == DEFAULT_QUOTE_RULES


def test_toml_overrides_cadence_and_regional_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml = tmp_path / "xubao.toml"
    toml.write_text(
        """
[cadence]
calling_start = "08:30:00"
daily_attempt_cap = 2
retry_spacing_s = { no_answer = 600 }

[quoting.regions.shenzhen]
aliases = ["深圳"]
ncd = { "-4" = 0.45, "0" = 1.0, "3" = 1.6 }
compulsory = { claim_free = [0.8, 0.7, 0.6] }
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(toml))
    monkeypatch.setenv("XUBAO_QUOTING__VESSEL_TAX_DEFAULT_CENTS", "42000")
    settings = Settings.load()
    rules = cadence_rules(settings.cadence)
    assert rules.calling_start == time(8, 30)
    assert rules.daily_attempt_cap == 2
    assert rules.retry_spacing[Outcome.NO_ANSWER] == timedelta(minutes=10)
    assert rules.retry_spacing[Outcome.BUSY] == timedelta(minutes=30)  # default kept
    quoting = quote_rules(settings.quoting)
    shenzhen = quoting.tables_for("深圳市")
    assert shenzhen.ncd.coefficient(-4) == Decimal("0.45")
    assert shenzhen.compulsory.claim_free == (Decimal("0.8"), Decimal("0.7"), Decimal("0.6"))
    assert quoting.vessel_tax_default_cents == 42_000
    # A [quoting.regions] table replaces the default regions: list every region you use.
    assert quoting.tables_for("北京").name == "default"


def test_compulsory_multiplier_outside_range_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    with pytest.raises(InvalidSetting, match=r"XUBAO_QUOTING__.*outside 0\.5-1\.3"):
        Settings.load(quoting={"default_compulsory": {"more_claims": "1.4"}})


def test_retry_spacing_for_an_unknown_outcome_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    with pytest.raises(InvalidSetting, match=r"XUBAO_CADENCE.*no retry spacing for outcomes"):
        Settings.load(cadence={"retry_spacing_s": {"agreed": 60}})


@pytest.mark.parametrize(
    "cadence",
    [{"quote_days": 55}, {"calling_start": "21:00:00", "calling_end": "09:00:00"}],
)
def test_inconsistent_cadence_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cadence: dict[str, object]
) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    with pytest.raises(InvalidSetting, match="XUBAO_CADENCE"):
        Settings.load(cadence=cadence)
