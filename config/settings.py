"""Typed settings: environment variables prefixed ``XUBAO_`` over a TOML file over defaults.

Built once by the composition root (``Settings.load()``) and handed to constructors; nothing
imports a module-level settings object. Secrets are ``SecretStr`` and placeholders are refused
outside development.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.console_settings import ConsoleSettings
from config.domain_settings import CadenceSettings, QuotingSettings, SchedulerSettings
from config.ivr_settings import IvrSettings

__all__ = ["Settings"]

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "xubao"}


def is_placeholder(secret: str) -> bool:
    """The shipped configs mark secrets to replace with a CHANGE-ME prefix."""
    return secret.lower() in PLACEHOLDER_SECRETS or secret.lower().startswith("change-me")


class Settings(BaseSettings):
    """Every setting of one Xubao node. Units are in the names (``_s`` seconds)."""

    model_config = SettingsConfigDict(
        env_prefix="XUBAO_", extra="forbid", env_nested_delimiter="__"
    )

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""  # empty → SQLite file ``<data_dir>/xubao.db``
    timezone: str = "Asia/Shanghai"

    # Telephony backend and the Asterisk AMI connection (used when telephony == "asterisk").
    telephony: Literal["simulated", "asterisk"] = "simulated"
    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_user: str = "xubao"
    ami_secret: SecretStr = SecretStr("changeme")
    customer_dial_template: str = "PJSIP/{number}@trunk"
    agent_interface_template: str = "PJSIP/{agent}"
    supervisor_dial_template: str = "PJSIP/{supervisor}"
    dialer_context: str = "xubao-dialer"
    ami_route_context: str = "xubao-route"  # preview calls redirected to one agent
    ami_play_context: str = "xubao-play"  # prompts played to the customer
    ami_md5_login: bool = False
    ami_originate_rate_per_s: float = 20.0
    # The dialplan records every answered call (config/asterisk/extensions.conf); the
    # simulated network records when the runtime asks it to.
    asterisk_dialplan_records: bool = True

    # The simulated network (telephony == "simulated"): a profile JSON (the pacing.md format)
    # and a seed; empty profile → the packaged default.
    sim_profile: Path | None = None
    sim_seed: int = 7
    recordings_dir: Path | None = None  # empty → <data_dir>/recordings

    # Seconds a seat may go without a heartbeat (agent console or bot) before the dialer stops
    # counting it and logs it out: a few seconds, so nobody is dialed for after a closed
    # browser or a killed ``dialer run --bots``.
    seat_lapse_s: float = Field(default=6.0, gt=0)

    log_level: str = "INFO"

    # The renewal domain (config/domain_settings.py): TOML tables [cadence], [quoting],
    # [scheduler]; environment e.g. XUBAO_CADENCE__DAILY_ATTEMPT_CAP=4.
    cadence: CadenceSettings = Field(default_factory=CadenceSettings)
    quoting: QuotingSettings = Field(default_factory=QuotingSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    # The web consoles (config/console_settings.py): TOML table [console].
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    # The IVR (config/ivr_settings.py): TOML table [ivr], environment XUBAO_IVR__ARI_URL=….
    ivr: IvrSettings = Field(default_factory=IvrSettings)

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if (
            self.environment != "development"
            and self.telephony == "asterisk"
            and is_placeholder(self.ami_secret.get_secret_value())
        ):
            raise ValueError("XUBAO_AMI_SECRET is a placeholder: set a real secret")
        if (
            self.environment != "development"
            and self.telephony == "asterisk"
            and is_placeholder(self.ivr.ari_password.get_secret_value())
        ):
            raise ValueError("XUBAO_IVR__ARI_PASSWORD is a placeholder: set a real password")
        return self

    @property
    def resolved_recordings_dir(self) -> Path:
        return self.recordings_dir or self.data_dir / "recordings"

    @property
    def resolved_prompt_dir(self) -> Path:
        return self.ivr.prompt_dir or self.data_dir / "prompts"

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL: the configured one, or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xubao.db').as_posix()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = os.environ.get("XUBAO_CONFIG_FILE", "xubao.toml")
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Read the environment and the TOML file (``XUBAO_CONFIG_FILE``, default xubao.toml)."""
        return cls(**overrides)
