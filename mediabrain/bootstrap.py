"""First-start preparation shared by every process: schema, default workspace, ad accounts.

Any number of processes may run it at once (``serve``, workers and the scheduler
started together): on PostgreSQL an advisory lock lets one seed at a time, and
everywhere a unique-key collision means "someone else seeded": we look again.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ads.demo_account import (
    DEMO_ACCOUNT_ID,
    DEMO_ACCOUNT_NAME,
    GOOGLE_DEMO_CUSTOMER_ID,
    GOOGLE_DEMO_NAME,
)
from storage.models import AdAccount, Workspace
from storage.repositories import all_workspaces, ensure_workspace, link_ad_account
from vocabulary.runtime import Runtime
from vocabulary.settings import Settings

logger = logging.getLogger(__name__)

#: pg_advisory_xact_lock key serialising first-start seeding across processes.
BOOTSTRAP_LOCK = 0x6D62_0001  # "mb" + 1
MIGRATION_LOCK = 0x6D62_0002
SEED_ATTEMPTS = 3


def prepare(rt: Runtime, *, migrate: bool | None = None) -> None:
    """Migrate (always on SQLite; on PostgreSQL the release step does it) and seed defaults."""
    if migrate is None:
        migrate = rt.db.dialect == "sqlite"
    if migrate:
        from storage.migrate import upgrade  # alembic: only when migrating

        with _migration_lock(rt):
            upgrade(rt.db.url)
    for attempt in range(1, SEED_ATTEMPTS + 1):
        try:
            _seed(rt)
            return
        except IntegrityError:
            # Another process seeded the same rows between our look and our insert (SQLite
            # has no advisory lock): look again, now finding theirs.
            logger.info("prepare: another process seeded first (attempt %d); again", attempt)
    _seed(rt)


@contextmanager
def _migration_lock(rt: Runtime) -> Iterator[None]:
    """One migrating process at a time: a PostgreSQL advisory lock, or a file lock beside
    the SQLite file (the others wait, then find the schema up to date)."""
    if rt.db.dialect == "postgresql":
        with rt.db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        return
    path = rt.db.url.split("///", 1)[-1]
    if not path or path == ":memory:":
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.migrate-lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _seed(rt: Runtime) -> None:
    """The default workspace and its ad account, once whoever runs it and however many at once."""
    settings = rt.settings
    with rt.db.session() as session:
        if rt.db.dialect == "postgresql":
            # Serve, workers and the scheduler may start together on a fresh database:
            # one seeds, the others wait for its commit and find the rows.
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
        ensure_workspace(
            session,
            language=settings.language,
            timezone=settings.timezone,
            currency=settings.currency,
        )
        linked = set(session.scalars(select(AdAccount.workspace_id)))
        if rt.sandbox is not None and settings.sandbox_google_demo:
            _link_google_demo(session, linked)
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
