"""The one typed settings object, read once at the entry point and passed down.

Every field maps to a ``MEDIABRAIN_<NAME>`` environment variable (or a line in
``.env``) and has a line in the README's settings table. Secrets are
``SecretStr`` so they never show in logs, reprs or tracebacks.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from vocabulary.limits import Rate

DEFAULT_DATA_DIR = Path(platformdirs.user_data_dir("mediabrain", appauthor=False))


class ConfigurationError(RuntimeError):
    """A process refuses to start with an unsafe or ambiguous configuration (said plainly)."""


class MissingSecretKey(ConfigurationError):
    """Tokens at rest need one key shared by every host; only the embedded SQLite may generate it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MEDIABRAIN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # --- core -----------------------------------------------------------------
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Embedded default's files.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite if unset.")
    redis_url: str | None = Field(default=None, description="Redis URL; unset = in-process jobs.")
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key for tokens at rest; required unless the database is SQLite.",
    )
    language: Literal["pt-BR", "en"] = Field(
        default="pt-BR", description="Reply language: pt-BR or en (per workspace and user too)."
    )
    timezone: str = Field(
        default="America/Sao_Paulo", description="Default timezone for new workspaces (IANA)."
    )
    currency: str = Field(
        default="BRL", description="Default currency for new workspaces (ISO 4217)."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING...")
    max_message_chars: int = Field(
        default=4000, ge=100, description="Longer messages are refused with a clear reply."
    )
    memory_turns: int = Field(default=20, ge=2, description="Turns kept verbatim per chat.")
    job_timeout_seconds: int = Field(default=600, description="RQ job timeout.")

    # --- reliability: leases, the sweeper, timeouts -----------------------------
    lease_seconds: int = Field(
        default=120,
        ge=1,
        description="A worker's claim on a message or an approved change; past it, the sweeper "
        "settles it unless the worker holding it is still alive.",
    )
    worker_heartbeat_seconds: int = Field(
        default=10, ge=1, description="How often a busy worker says it is alive."
    )
    scheduler_interval_seconds: int = Field(
        default=30, ge=1, description="How often the scheduler looks for due jobs and lost entries."
    )
    ack_timeout_seconds: float = Field(
        default=1.0,
        gt=0,
        description="The web process's database bound (statement, lock, pool) when acking a "
        "webhook; past it the event goes to Redis alone and the worker stores it.",
    )
    redis_socket_timeout_seconds: float = Field(
        default=1.0,
        gt=0,
        description="Redis connect/read bound, so a hung Redis cannot hold an ack.",
    )
    worker_inline_queues: tuple[str, ...] = Field(
        default=("high",),
        description="Queues whose jobs run inside the worker process (no fork): routine turns. "
        "Empty: fork a work horse per job everywhere.",
    )
    inbound_max_attempts: int = Field(
        default=2, ge=1, description="Tries per message before the user is told it failed."
    )

    # --- Meta Marketing API -----------------------------------------------------
    meta_graph_url: str = Field(
        default="https://graph.facebook.com",
        description="Graph API base URL; point it at `mediabrain sandbox` to rehearse.",
    )
    meta_api_version: str = Field(default="v24.0", description="Marketing API version.")
    meta_access_token: SecretStr | None = Field(
        default=None,
        description="System-user token; ad account rows may carry their own (encrypted).",
    )
    meta_app_secret: SecretStr | None = Field(
        default=None, description="Enables appsecret_proof on Graph calls."
    )
    meta_ad_account_id: str | None = Field(
        default=None,
        description="Single-tenant setup: linked to the workspace of "
        "MEDIABRAIN_META_AD_ACCOUNT_WORKSPACE only.",
    )
    meta_ad_account_workspace: str = Field(
        default="default",
        description="The workspace (slug) MEDIABRAIN_META_AD_ACCOUNT_ID belongs to.",
    )
    meta_timeout_seconds: float = Field(default=30.0, description="Timeout per Marketing API call.")
    # --- Google Ads API --------------------------------------------------------------
    google_ads_endpoint: str = Field(
        default="googleads.googleapis.com",
        description="Google Ads API gRPC endpoint; `mediabrain sandbox` serves one on port+1.",
    )
    google_ads_token_uri: str = Field(
        default="https://oauth2.googleapis.com/token",
        description="OAuth token endpoint the refresh token is exchanged at.",
    )
    google_ads_developer_token: SecretStr | None = Field(
        default=None, description="Developer token (Google Ads API Center of a manager account)."
    )
    google_ads_client_id: str | None = Field(default=None, description="OAuth client id.")
    google_ads_client_secret: SecretStr | None = Field(
        default=None, description="OAuth client secret."
    )
    google_ads_refresh_token: SecretStr | None = Field(
        default=None,
        description="Operator's refresh token; linked accounts may carry their own (encrypted).",
    )
    google_ads_login_customer_id: str | None = Field(
        default=None, description="Manager account id (login-customer-id) when access is via one."
    )
    google_ads_ca_file: Path | None = Field(
        default=None,
        description="Trust this certificate for the endpoint (the sandbox's loopback TLS).",
    )
    google_ads_timeout_seconds: float = Field(
        default=30.0, description="Timeout per Google Ads API call."
    )
    sandbox: Literal["auto", "on", "off"] = Field(
        default="auto", description="auto: use the embedded sandbox when no Meta token is set."
    )
    sandbox_google_demo: bool = Field(
        default=True,
        description="With the embedded sandbox, also link the Google Ads demo customer.",
    )
    sandbox_seed: int = Field(default=42, description="Seed of the sandbox's performance model.")
    sandbox_state_file: Path | None = Field(
        default=None, description="Where the embedded sandbox persists (default: data dir)."
    )

    # --- Slack ------------------------------------------------------------------
    slack_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MEDIABRAIN_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        description="Single-workspace bot token (SLACK_BOT_TOKEN also works).",
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MEDIABRAIN_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        description="Request signing secret (SLACK_SIGNING_SECRET also works).",
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MEDIABRAIN_SLACK_APP_TOKEN", "SLACK_APP_TOKEN"),
        description="xapp- token for Socket Mode (SLACK_APP_TOKEN also works).",
    )
    slack_client_id: str | None = Field(
        default=None, description="OAuth client id for multi-workspace install."
    )
    slack_client_secret: SecretStr | None = Field(
        default=None, description="OAuth client secret for multi-workspace install."
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack Web API base URL."
    )
    slack_team_id: str | None = Field(
        default=None,
        description="The operator's Slack team (T…): the only one that may claim the default "
        "workspace (unset: the bot token's team; with OAuth, none).",
    )

    # --- WhatsApp Cloud API -----------------------------------------------------
    whatsapp_phone_id: str | None = Field(
        default=None, description="WhatsApp Cloud API phone number id."
    )
    whatsapp_token: SecretStr | None = Field(
        default=None, description="WhatsApp Cloud API access token."
    )
    whatsapp_app_secret: SecretStr | None = Field(
        default=None, description="App secret: X-Hub-Signature-256 is checked with it (required)."
    )
    whatsapp_verify_token: SecretStr | None = Field(
        default=None, description="Webhook verify-token challenge."
    )
    whatsapp_api_url: str = Field(
        default="https://graph.facebook.com", description="Graph base URL for WhatsApp."
    )
    whatsapp_throughput: int = Field(
        default=80,
        ge=1,
        le=1000,
        description="Messages per second the business number may send, shared by every "
        "worker: Cloud API allows 80 by default, 1000 once Meta upgrades the number, 20 for "
        "a number also used in the WhatsApp Business app.",
    )
    whatsapp_template_language: str = Field(
        default="pt_BR", description="Language code of the approved templates."
    )
    whatsapp_template_report: str = Field(
        default="daily_report", description="Template for daily reports outside the 24-hour window."
    )
    whatsapp_template_alert: str = Field(
        default="budget_alert", description="Template for budget alerts outside the 24-hour window."
    )
    whatsapp_template_approval: str = Field(
        default="approval_request",
        description="Template for approval requests outside the 24-hour window.",
    )

    # --- LLM --------------------------------------------------------------------
    llm_model: str | None = Field(
        default=None,
        description="e.g. openai/gpt-4o-mini, anthropic/claude-..., ollama/llama3.1; unset = no LLM.",
    )
    llm_base_url: str | None = Field(default=None, description="Any OpenAI-compatible endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the LLM endpoint.")

    # --- limits (issue 13): token buckets "<count>/<period>", e.g. 3/10m ----------------
    rate_turns_person: str = Field(
        default="10/1m", description="Messages one person may send (burst, then evenly)."
    )
    rate_turns_workspace: str = Field(
        default="3000/5m",
        description=(
            "Messages a whole workspace may send: a burst of 3,000 (a team answering one "
            "alert, a backlog WhatsApp redelivers after an outage), then 10 a second (60 people "
            "at their own limit). It keeps one tenant from taking every worker (each answers a "
            "few dozen routine messages a second: bench/bench_turns.py), not a busy team from "
            "talking: `120/1m` refused anything past "
            "2 a second."
        ),
    )
    rate_crew_person: str = Field(default="3/10m", description="Crew runs one person may start.")
    rate_crew_workspace: str = Field(
        default="20/1h", description="Crew runs a whole workspace may start."
    )
    llm_daily_tokens: int | None = Field(
        default=None,
        ge=1,
        description="Default daily LLM token cap per workspace (an admin may set their own).",
    )

    @field_validator(
        "rate_turns_person", "rate_turns_workspace", "rate_crew_person", "rate_crew_workspace"
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        Rate.parse(value)  # refuses a malformed spec at start-up, with the expected form
        return value.strip()

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    # --- derived ----------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mediabrain.sqlite3'}"

    @property
    def embedded(self) -> bool:
        """True on the zero-config default: SQLite and in-process jobs."""
        return self.redis_url is None

    @property
    def use_sandbox(self) -> bool:
        if self.sandbox == "auto":
            return self.meta_access_token is None
        return self.sandbox == "on"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_model)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_signing_secret is not None and (
            self.slack_bot_token is not None or self.slack_client_id is not None
        )

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_phone_id is not None and self.whatsapp_token is not None

    @property
    def embedded_database(self) -> bool:
        """True on SQLite: one host, so a key generated into its data dir is the only key."""
        return self.effective_database_url.startswith("sqlite")

    def check_secret_key(self) -> None:
        """Refuse to run on a shared database without one ``MEDIABRAIN_SECRET_KEY`` for all hosts.

        Otherwise each host would generate its own key and could not read the tokens
        another host stored.
        """
        if self.secret_key is None:
            if not self.embedded_database:
                raise MissingSecretKey(
                    "MEDIABRAIN_SECRET_KEY is not set. It is required when the database is not "
                    "the embedded SQLite: every process (web, worker, scheduler) must use the same "
                    "key to read the tokens stored in the database. Generate one with "
                    '`python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"` and set it everywhere.'
                )
            return
        # cryptography: only to check the configured key
        from cryptography.fernet import Fernet

        try:
            Fernet(self.secret_key.get_secret_value().encode())
        except ValueError:
            raise MissingSecretKey(
                "MEDIABRAIN_SECRET_KEY is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes); generate one as the README says."
            ) from None

    @cached_property
    def fernet_key(self) -> bytes:
        """The key for tokens at rest; generated into the data dir on the embedded default."""
        self.check_secret_key()
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        # cryptography: only when a key must be generated
        from cryptography.fernet import Fernet

        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_bytes().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key()
        path.touch(mode=0o600)
        path.write_bytes(key)
        return key


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment (and ``.env``), applying explicit overrides."""
    return Settings(**overrides)  # type: ignore[arg-type]
