"""Settings from the environment (LYKTA_ prefix) and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, SecretStr, field_validator, model_validator, with_config
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import TypedDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 (refused outside development)


@with_config(ConfigDict(extra="forbid"))
class Alternative(TypedDict):
    """Somewhere else to turn while the service is closed (the `alternatives` setting)."""

    name: dict[str, str]  # per language
    phone: str


DEFAULT_ALTERNATIVES: list[Alternative] = [
    {"name": {"sv": "Nödnummer (SOS Alarm)", "en": "Emergency (SOS Alarm)"}, "phone": "112"},
    {"name": {"sv": "Socialjouren", "en": "Out-of-hours social services"}, "phone": "08-508 400 00"},
    {"name": {"sv": "BRIS, för dig under 18", "en": "BRIS, for under-18s"}, "phone": "116 111"},
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LYKTA_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite+aiosqlite:///./lykta.db"
    broker_url: str = "memory://"
    broker_prefix: str = Field(default="lykta", pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Redis channel prefix")
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    old_secret_keys: SecretStr = Field(
        default=SecretStr(""), description="comma-separated earlier secret keys, while TOTP secrets are resealed"
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    retention_hours: int = Field(default=72, ge=0)
    mailbox_days: int = Field(
        default=14, ge=1, le=365, description="a letter waits this long for an answer, an answer this long unread"
    )
    vacuum_after_purge: bool = Field(
        default=True, description="PostgreSQL: VACUUM message and note after text is deleted (SQLite: ignored)"
    )
    host: str = "127.0.0.1"
    port: int = 8000

    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)

    # Staff sign-in (app/auth). None means the environment's default (app/auth/totp.py).
    totp_required: bool | None = Field(
        default=None, description="staff must use TOTP; default on outside development and test"
    )
    totp_issuer: str = Field(default="Lykta", max_length=64, description="the name authenticator apps show")
    password_login: bool = Field(default=True, description="false: staff sign in only through OpenID Connect")
    lockout_after: int = Field(
        default=5, ge=1, description="failed sign-ins from one source for one username before that source waits"
    )
    lockout_base_s: int = Field(
        default=60, ge=1, description="that source's first wait; each further failure doubles it"
    )
    lockout_max_s: int = Field(default=3600, ge=1)
    login_user_free: int = Field(
        default=10, ge=1, description="failed sign-ins for one username (all sources) before each attempt is slowed"
    )
    login_delay_max_s: float = Field(
        default=5.0, ge=0, le=30, description="the longest that slowing lasts; the owner still gets in after it"
    )
    login_failures_keep_hours: int = Field(
        default=24, ge=1, description="failure counts are forgotten this long after the last failure"
    )
    oidc_issuer: str = Field(default="", description="OpenID Connect sign-in is on when issuer and client id are set")
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_redirect_url: str = Field(
        default="", description="required in production; elsewhere default <own origin>/api/console/oidc/callback"
    )
    oidc_scopes: str = "openid profile"
    oidc_username_claim: str = Field(
        default="preferred_username", description="at first sign-in, names the unbound account to bind (iss + sub)"
    )
    oidc_bind_by_username: bool = Field(
        default=True, description="false: only an admin's link binds an account to the provider's iss + sub"
    )
    oidc_acr_values: str = Field(default="", description="space-separated; when set, the ID token's acr must be one")
    oidc_mfa_acr_values: str = Field(
        default="", description="space-separated acr values that mean the provider did MFA (TOTP then not asked)"
    )

    # Rate limits (app/limits.py). None: the default, off when env is test; 0: off.
    login_attempts_per_minute: int | None = Field(
        default=None, ge=0, description="FAILED sign-ins per source and minute; default 10 (successes never count)"
    )
    conversations_per_hour: int | None = Field(default=None, ge=0, description="per source; default 20")
    follow_up_attempts_per_hour: int | None = Field(default=None, ge=0, description="per source; default 10")
    mailbox_attempts_per_hour: int | None = Field(
        default=None, ge=0, description="mailbox code look-ups per source; default 30"
    )
    messages_per_second: float | None = Field(default=None, ge=0, description="per socket; default 5")
    message_burst: int = Field(default=20, ge=1)

    # HTTP connections (app/server.py, app/core/http_protocols.py): what a slow or greedy client can hold.
    http_read_timeout_s: float = Field(
        default=10.0, gt=0, description="a request's headers and body must arrive within this; else dropped"
    )
    http_keep_alive_s: float = Field(default=5.0, gt=0, description="an idle kept-alive connection closes")
    http_limit_concurrency: int = Field(
        default=8192, ge=16, description="connections and tasks per process (sockets included); beyond: 503"
    )

    # Socket budgets (app/realtime/budget.py): frames per second per socket, by type. None: the default, off when
    # env is test; 0: off. A socket over budget is told; one over it more than ws_budget_strikes times in 10 s: 1008.
    typing_per_second: float | None = Field(default=None, ge=0, description="per socket; default 2 (burst 6)")
    read_per_second: float | None = Field(default=None, ge=0, description="per socket; default 5 (burst 20)")
    ping_per_second: float | None = Field(default=None, ge=0, description="per socket; default 1 (burst 5)")
    other_frames_per_second: float | None = Field(default=None, ge=0, description="hello, end, monitor; default 5")
    ws_budget_strikes: int = Field(default=50, ge=1, description="frames over budget (in 10 s) before closing 1008")
    ws_per_source: int | None = Field(default=None, ge=0, description="open sockets per source per node; default 200")

    ws_max_frame_bytes: int = 16 * 1024
    ws_outbound_queue: int = Field(default=256, ge=8)
    ws_max_in_flight: int = Field(default=32, ge=1, description="a socket's sends waiting for their commit")
    ws_hello_seconds: float = Field(default=10.0, gt=0, description="a socket that has not said hello is closed")
    ws_idle_seconds: float = Field(default=120.0, gt=0, description="no frame for this long closes (clients ping)")
    ws_sweep_seconds: float = Field(default=1.0, gt=0, description="how often one sweep checks every socket")
    ws_max_bad_frames: int = 10
    heartbeat_s: float = Field(default=15.0, gt=0, description="sockets mark their side alive this often")
    sweep_interval_s: float = Field(default=5.0, gt=0)
    lease_ttl_s: float = Field(
        default=15.0, gt=0, description="a node that stops renewing hands the cluster's background work on after this"
    )
    metrics_token: SecretStr = Field(
        default=SecretStr(""), description="when set, /metrics wants 'Authorization: Bearer <token>'"
    )

    timezone: str = "Europe/Stockholm"
    languages: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["sv", "en"])
    exit_url: str = "https://www.google.com/"
    alternatives: list[Alternative] = Field(  # checked at start: a wrong one fails here, not in /api/visitor/status
        default_factory=lambda: list(DEFAULT_ALTERNATIVES),
        description='JSON: [{"name": {"sv": "...", "en": "..."}, "phone": "..."}, ...]',
    )
    default_wait_s: int = 180
    frontend_dist: str = ""

    @field_validator("allowed_origins", "trusted_proxies", "languages", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.env != "development" and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ValueError("LYKTA_SECRET_KEY must be set to a random value of 32+ characters outside development")
        return self

    @model_validator(mode="after")
    def _oidc_redirect_in_production(self) -> Settings:
        if self.env == "production" and self.oidc_issuer and self.oidc_client_id and not self.oidc_redirect_url:
            raise ValueError("LYKTA_OIDC_REDIRECT_URL must be set in production (the Host header is not trusted)")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cookie_secure(self) -> bool:
        return self.env == "production"


BrokerBackend = Literal["memory", "redis"]


def broker_backend(url: str) -> BrokerBackend:
    """What a broker URL names, for the broker and the shared state alike: this process's memory (`memory://`, one
    node) or Redis (`redis://`, `rediss://`, `unix://`)."""
    if url.startswith("memory://"):
        return "memory"
    if url.startswith(("redis://", "rediss://", "unix://")):
        return "redis"
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]}")


@lru_cache
def get_settings() -> Settings:
    return Settings()
