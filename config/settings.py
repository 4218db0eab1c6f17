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

from config.domain_settings import CadenceSettings, QuotingSettings, SchedulerSettings

__all__ = ["Settings"]

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "xubao"}


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

    log_level: str = "INFO"

    # The renewal domain (config/domain_settings.py): TOML tables [cadence], [quoting],
    # [scheduler]; environment e.g. XUBAO_CADENCE__DAILY_ATTEMPT_CAP=4.
    cadence: CadenceSettings = Field(default_factory=CadenceSettings)
    quoting: QuotingSettings = Field(default_factory=QuotingSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if (
            self.environment != "development"
            and self.telephony == "asterisk"
            and self.ami_secret.get_secret_value() in PLACEHOLDER_SECRETS
        ):
            raise ValueError("XUBAO_AMI_SECRET is a placeholder: set a real secret")
        return self

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
