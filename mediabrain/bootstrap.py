"""First-start preparation shared by every process: schema, default workspace, ad accounts."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ads.demo_account import DEMO_ACCOUNT_ID, DEMO_ACCOUNT_NAME
from storage.models import AdAccount, Workspace
from storage.repositories import all_workspaces, ensure_workspace, link_ad_account
from vocabulary.runtime import Runtime
from vocabulary.settings import Settings

logger = logging.getLogger(__name__)


def prepare(rt: Runtime, *, migrate: bool | None = None) -> None:
    """Migrate (always on SQLite; on PostgreSQL the release step does it) and seed defaults."""
    settings = rt.settings
    if migrate is None:
        migrate = rt.db.dialect == "sqlite"
    if migrate:
        from storage.migrate import upgrade  # alembic: only when migrating

        upgrade(rt.db.url)
    with rt.db.session() as session:
        ensure_workspace(
            session,
            language=settings.language,
            timezone=settings.timezone,
            currency=settings.currency,
        )
        linked = set(session.scalars(select(AdAccount.workspace_id)))
        if settings.use_sandbox:
            # The sandbox's demo account is make-believe: every workspace may rehearse on it.
            for workspace in all_workspaces(session):
                if workspace.id not in linked:
                    link_ad_account(
                        session,
                        workspace.id,
                        DEMO_ACCOUNT_ID,
                        name=DEMO_ACCOUNT_NAME,
                        currency="BRL",
                        timezone="America/Sao_Paulo",
                    )
        elif settings.meta_ad_account_id:
            _link_env_account(session, settings)


def _link_env_account(session: Session, settings: Settings) -> None:
    """``MEDIABRAIN_META_AD_ACCOUNT_ID`` goes to its pinned workspace, never to anyone else's.

    It reads with the operator's token (``MEDIABRAIN_META_ACCESS_TOKEN``), so a workspace
    created later (a stranger's Slack install) must not inherit it.
    """
    external = settings.meta_ad_account_id or ""
    if not external.startswith("act_"):
        external = f"act_{external}"
    pinned = ensure_workspace(
        session,
        settings.meta_ad_account_workspace,
        language=settings.language,
        timezone=settings.timezone,
        currency=settings.currency,
    )
    has_accounts = session.scalar(select(AdAccount.id).where(AdAccount.workspace_id == pinned.id))
    if has_accounts is None:
        link_ad_account(
            session, pinned.id, external, currency=settings.currency, timezone=settings.timezone
        )
    elsewhere = session.scalars(
        select(Workspace.slug)
        .join(AdAccount, AdAccount.workspace_id == Workspace.id)
        .where(
            AdAccount.external_id == external,
            AdAccount.access_token_encrypted.is_(None),
            Workspace.id != pinned.id,
        )
    ).all()
    if elsewhere:  # linked by an older release: the operator decides (`accounts unlink`)
        logger.warning(
            "%s reads with the operator's token but is also linked to workspace(s) %s; "
            "unlink it there unless they are yours",
            external,
            ", ".join(elsewhere),
        )
