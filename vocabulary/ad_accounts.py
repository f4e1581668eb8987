"""Upkeep of stored ad accounts: a token the platform refused, details the platform reports."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from storage.models import AdAccount
from storage.repositories import audit
from vocabulary.notify import alert_admins

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def mark_token_invalid(
    rt: Runtime, workspace_id: int, account_pk: int, external_id: str, *, reason: str = "meta_190"
) -> None:
    """Code 190, or a stored token that no longer decrypts: stop using the account and
    tell its admins (the audit entry's subject is the ad account)."""
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None or account.token_status == "invalid":
            return
        account.token_status = "invalid"
        external_id = external_id or account.external_id
        audit(
            session,
            workspace_id,
            actor="system",
            action="ads.token_invalid",
            subject=external_id,
            detail={"reason": reason, "account": account_pk},
        )
    told = alert_admins(rt, workspace_id, "error.token_expired")
    logger.warning(
        "ad account %s: token invalid (%s), calls stopped, %d admin chat(s) told",
        external_id,
        reason,
        told,
    )


def refresh_details(rt: Runtime, account_pk: int) -> AdAccount:
    """Name, currency and timezone as the platform reports them (one cached read).

    An account linked by id alone (``MEDIABRAIN_META_AD_ACCOUNT_ID``) starts with the
    deployment's defaults; schedules, alerts and money formatting need the real ones.
    """
    with rt.db.session() as session:
        account = session.get(AdAccount, account_pk)
        if account is None:
            raise LookupError(f"ad account {account_pk} is gone")
        session.expunge(account)
    info = rt.ads(account).get_account(account.external_id)
    with rt.db.session(account.workspace_id) as session:
        row = session.get(AdAccount, account_pk)
        assert row is not None
        changed = {
            key: (getattr(row, key), value)
            for key, value in (
                ("name", info.name),
                ("currency", info.currency),
                ("timezone", info.timezone),
            )
            if value and getattr(row, key) != value
        }
        for key, (_, value) in changed.items():
            setattr(row, key, value)
        if changed:
            audit(
                session,
                row.workspace_id,
                actor="system",
                action="ads.account_details",
                subject=row.external_id,
                detail={key: f"{old} -> {new}" for key, (old, new) in changed.items()},
            )
            logger.info("ad account %s: details from the platform %s", row.external_id, changed)
        session.flush()
        session.expunge(row)
        return row
