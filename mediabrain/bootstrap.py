"""First-start preparation shared by every process: schema, default workspace, ad accounts."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ads.demo_account import (
    DEMO_ACCOUNT_ID,
    DEMO_ACCOUNT_NAME,
    GOOGLE_DEMO_CUSTOMER_ID,
    GOOGLE_DEMO_NAME,
)
from storage.models import AdAccount
from storage.repositories import all_workspaces, ensure_workspace, link_ad_account
from vocabulary.runtime import Runtime

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
        if rt.sandbox is not None and settings.sandbox_google_demo:
            _link_google_demo(session, linked)
        for workspace in all_workspaces(session):
            if workspace.id in linked:
                continue
            if settings.use_sandbox:
                link_ad_account(
                    session,
                    workspace.id,
                    DEMO_ACCOUNT_ID,
                    name=DEMO_ACCOUNT_NAME,
                    currency="BRL",
                    timezone="America/Sao_Paulo",
                )
            elif settings.meta_ad_account_id:
                external = settings.meta_ad_account_id
                if not external.startswith("act_"):
                    external = f"act_{external}"
                link_ad_account(
                    session,
                    workspace.id,
                    external,
                    currency=settings.currency,
                    timezone=settings.timezone,
                )


def _link_google_demo(session: Session, linked: set[int]) -> None:
    """The embedded sandbox also serves Google Ads: link its demo customer beside Meta's."""
    with_google = set(
        session.scalars(select(AdAccount.workspace_id).where(AdAccount.platform == "google"))
    )
    for workspace in all_workspaces(session):
        if workspace.id in with_google:
            continue
        if workspace.id not in linked:
            link_ad_account(
                session,
                workspace.id,
                DEMO_ACCOUNT_ID,
                name=DEMO_ACCOUNT_NAME,
                currency="BRL",
                timezone="America/Sao_Paulo",
            )
            linked.add(workspace.id)
        link_ad_account(
            session,
            workspace.id,
            GOOGLE_DEMO_CUSTOMER_ID,
            platform="google",
            name=GOOGLE_DEMO_NAME,
            currency="BRL",
            timezone="America/Sao_Paulo",
        )
