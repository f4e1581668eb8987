"""Multi-workspace install: ``/slack/install`` → Slack → ``/slack/oauth_redirect``.

Installations live in OUR database (``slack_installations``, bot tokens
Fernet-encrypted with ``MEDIABRAIN_SECRET_KEY``), so the web process, workers
and schedulers all find a team's token. Each Slack team maps to one mediabrain
workspace: the operator's team (``MEDIABRAIN_SLACK_TEAM_ID``) gets the default
workspace, every other team a workspace of its own (:mod:`bot.slack.tenancy`);
an install never takes over someone else's. Whoever installs into a workspace
with no admin yet becomes its admin.

The OAuth ``state`` is stateless and signed (HMAC with the client secret,
10-minute expiry) and single-use through Redis when Redis is configured.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.tenancy import claim_workspace, team_policy
from storage.crypto import TokenCipher
from storage.models import Membership, Role, SlackInstallation, Workspace
from storage.repositories import add_user, ensure_workspace

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime
    from vocabulary.settings import Settings

logger = logging.getLogger(__name__)

#: Bot scopes requested at install; keep in sync with slack_manifest.yaml.
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "im:history",
    "im:read",
    "im:write",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_TTL_SECONDS = 600


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def authorization_url(settings: Settings) -> str:
    """Slack's authorize page, next to the configured Web API (the fake Slack serves one too)."""
    base = settings.slack_api_url.rstrip("/")
    if base.endswith("/api"):
        base = base[: -len("/api")]
    return f"{base}/oauth/v2/authorize"


class DatabaseInstallationStore(InstallationStore):
    """slack_sdk's installation store interface on our ``slack_installations`` table."""

    def __init__(self, rt: Runtime, client_id: str) -> None:
        self.rt = rt
        self.client_id = client_id
        self._cipher = TokenCipher(rt.settings.fernet_key)

    @property
    def logger(self) -> logging.Logger:
        return logger

    # --- writes --------------------------------------------------------------------
    def save(self, installation: Installation) -> None:
        if not installation.bot_token:
            raise ValueError("installation without a bot token: check the app's bot scopes")
        with self.rt.db.session() as session:
            row = self._row(session, installation.enterprise_id, installation.team_id)
            if row is None:
                workspace = _workspace_for(session, self.rt.settings, installation)
                row = SlackInstallation(
                    client_id=self.client_id,
                    enterprise_id=installation.enterprise_id or "",
                    team_id=installation.team_id or "",
                    workspace_id=workspace.id,
                )
                session.add(row)
            row.team_name = installation.team_name or ""
            row.enterprise_name = installation.enterprise_name or ""
            row.is_enterprise_install = bool(installation.is_enterprise_install)
            row.app_id = installation.app_id or ""
            row.bot_id = installation.bot_id or ""
            row.bot_user_id = installation.bot_user_id or ""
            row.bot_scopes = ",".join(installation.bot_scopes or [])
            row.bot_token_encrypted = self._cipher.encrypt(installation.bot_token)
            row.bot_refresh_token_encrypted = (
                self._cipher.encrypt(installation.bot_refresh_token)
                if installation.bot_refresh_token
                else None
            )
            expires = installation.bot_token_expires_at
            row.bot_token_expires_at = datetime.fromtimestamp(expires, UTC) if expires else None
            row.installer_user_id = installation.user_id or ""
            row.installed_at = datetime.fromtimestamp(installation.installed_at, UTC)
        logger.info(
            "slack: installed in team %s (%s)", installation.team_id, installation.team_name
        )

    def save_bot(self, bot: Bot) -> None:
        raise NotImplementedError("bots are saved with their installation")

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> None:
        if user_id is not None:  # we keep no user tokens
            return
        with self.rt.db.session() as session:
            row = self._row(session, enterprise_id, team_id)
            if row is not None:
                session.delete(row)
                logger.info("slack: uninstalled from team %s", team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    # --- reads ---------------------------------------------------------------------
    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = self.find_installation(
            enterprise_id=enterprise_id,
            team_id=None if is_enterprise_install else team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return installation.to_bot() if installation else None

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        with self.rt.db.session() as session:
            row = self._row(session, enterprise_id, None if is_enterprise_install else team_id)
            if row is None:
                return None
            return self._installation(row)

    def bot_token(self, *, team_id: str = "", workspace_id: int | None = None) -> str | None:
        """The decrypted bot token of a team (or of a workspace's team), if installed."""
        with self.rt.db.session() as session:
            query = select(SlackInstallation).where(SlackInstallation.client_id == self.client_id)
            if team_id:
                query = query.where(SlackInstallation.team_id == team_id)
            elif workspace_id is not None:
                query = query.where(SlackInstallation.workspace_id == workspace_id)
            else:
                return None
            row = session.scalars(query.order_by(SlackInstallation.installed_at.desc())).first()
            return self._cipher.decrypt(row.bot_token_encrypted) if row else None

    def _row(
        self, session: Session, enterprise_id: str | None, team_id: str | None
    ) -> SlackInstallation | None:
        return session.scalar(
            select(SlackInstallation).where(
                SlackInstallation.client_id == self.client_id,
                SlackInstallation.enterprise_id == (enterprise_id or ""),
                SlackInstallation.team_id == (team_id or ""),
            )
        )

    def _installation(self, row: SlackInstallation) -> Installation:
        refresh = (
            self._cipher.decrypt(row.bot_refresh_token_encrypted)
            if row.bot_refresh_token_encrypted
            else None
        )
        return Installation(
            app_id=row.app_id or None,
            enterprise_id=row.enterprise_id or None,
            enterprise_name=row.enterprise_name or None,
            team_id=row.team_id or None,
            team_name=row.team_name or None,
            bot_token=self._cipher.decrypt(row.bot_token_encrypted),
            bot_id=row.bot_id or None,
            bot_user_id=row.bot_user_id or None,
            bot_scopes=row.bot_scopes,
            bot_refresh_token=refresh,
            bot_token_expires_at=row.bot_token_expires_at,
            user_id=row.installer_user_id,
            is_enterprise_install=row.is_enterprise_install,
            installed_at=row.installed_at,
        )

    def __repr__(self) -> str:
        return f"DatabaseInstallationStore(client_id={self.client_id!r})"


def _workspace_for(session: Session, settings: Settings, installation: Installation) -> Workspace:
    """The team's workspace: already linked, ``default`` for the operator's team, or a new one.

    Whoever installs into a workspace that has no admin yet becomes its admin; no one
    else's workspace is touched.
    """
    team_id = installation.team_id or installation.enterprise_id or ""
    workspace = claim_workspace(session, team_policy(settings), team_id)
    if workspace is None:
        workspace = ensure_workspace(
            session,
            f"slack-{team_id.lower()}",
            name=installation.team_name or team_id,
            language=settings.language,
            timezone=settings.timezone,
            currency=settings.currency,
        )
        workspace.slack_team_id = team_id
    installer = installation.user_id
    has_admin = session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == workspace.id, Membership.role == Role.ADMIN.value
        )
    )
    if installer and has_admin is None:
        add_user(session, workspace, role=Role.ADMIN, slack_user_id=installer)
        logger.info("slack: installer %s is admin of %s", installer, workspace.slug)
    session.flush()
    return workspace


class SignedStateStore(OAuthStateStore):
    """OAuth ``state`` values signed with the client secret; single-use when Redis is there."""

    def __init__(
        self, secret: str, rt: Runtime, expiration_seconds: int = STATE_TTL_SECONDS
    ) -> None:
        self._secret = secret.encode()
        self.rt = rt
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return logger

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: object, **kwargs: object) -> str:
        payload = f"{secrets.token_urlsafe(12)}.{int(time.time())}"
        return f"{payload}.{self._sign(payload)}"

    def consume(self, state: str) -> bool:
        nonce, _, rest = state.partition(".")
        issued, _, signature = rest.partition(".")
        if not (nonce and issued.isdigit() and signature):
            return False
        if not hmac.compare_digest(signature, self._sign(f"{nonce}.{issued}")):
            logger.warning("slack oauth: forged state refused")
            return False
        if time.time() - int(issued) > self.expiration_seconds:
            logger.info("slack oauth: expired state refused")
            return False
        if self.rt.redis is not None:
            try:
                first = self.rt.redis.set(
                    f"mb:slack:oauth_state:{nonce}", "1", nx=True, ex=self.expiration_seconds
                )
            except Exception:  # Redis down: the signature and expiry still hold
                logger.warning("slack oauth: redis unavailable, state single-use not enforced")
                return True
            if not first:
                logger.warning("slack oauth: replayed state refused")
                return False
        return True


def oauth_settings(rt: Runtime) -> tuple[OAuthSettings, InstallationStoreAuthorize]:
    """Bolt's OAuth settings on our store, and an authorize that caches auth.test per token."""
    settings = rt.settings
    assert settings.slack_client_id and settings.slack_client_secret
    secret = settings.slack_client_secret.get_secret_value()
    store = DatabaseInstallationStore(rt, settings.slack_client_id)
    flow_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SignedStateStore(secret, rt),
        state_expiration_seconds=STATE_TTL_SECONDS,
        logger=logger,
    )
    authorize = InstallationStoreAuthorize(
        logger=logger,
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=secret,
        bot_only=True,
        cache_enabled=True,
    )
    return flow_settings, authorize


def installation_store(rt: Runtime) -> DatabaseInstallationStore | None:
    if not oauth_enabled(rt.settings):
        return None
    assert rt.settings.slack_client_id
    return DatabaseInstallationStore(rt, rt.settings.slack_client_id)
