"""The connector for a stored ad account: its token, the Graph URL (or sandbox), the cache."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from storage.crypto import TokenCipher
from storage.models import AdAccount

if TYPE_CHECKING:
    from ads.base import AdsPlatform
    from mediabrain.runtime import Runtime

logger = logging.getLogger(__name__)

SANDBOX_TOKEN = "sandbox-token"


def token_for(rt: Runtime, account: AdAccount) -> str:
    if account.access_token_encrypted:
        return TokenCipher(rt.settings.fernet_key).decrypt(account.access_token_encrypted)
    if rt.settings.meta_access_token is not None:
        return rt.settings.meta_access_token.get_secret_value()
    if rt.settings.use_sandbox:
        return SANDBOX_TOKEN
    raise LookupError(f"no access token for ad account {account.external_id}")


def connector_for(rt: Runtime, account: AdAccount) -> AdsPlatform:
    from ads.factory import build_ads

    settings = rt.settings.model_copy(update={"meta_graph_url": rt.graph_url})
    account_pk, workspace_id = account.id, account.workspace_id

    def on_token_invalid(external_id: str) -> None:
        mark_token_invalid(rt, workspace_id, account_pk, external_id)

    return build_ads(
        settings, redis=rt.redis, token=token_for(rt, account), on_token_invalid=on_token_invalid
    )


def mark_token_invalid(rt: Runtime, workspace_id: int, account_pk: int, external_id: str) -> None:
    """Code 190: stop using the account and tell its admins."""
    from storage.repositories import audit

    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None or account.token_status == "invalid":
            return
        account.token_status = "invalid"
        audit(
            session,
            workspace_id,
            actor="system",
            action="ads.token_invalid",
            subject=external_id,
        )
    logger.warning("ad account %s: token invalid, calls stopped, admins alerted", external_id)
    from jobs.notify import alert_admins

    alert_admins(rt, workspace_id, "error.token_expired")


def refresh_details(rt: Runtime, account_pk: int) -> AdAccount:
    """Name, currency and timezone as the platform reports them (one cached read).

    An account linked by id alone (``MEDIABRAIN_META_AD_ACCOUNT_ID``) starts with the
    deployment's defaults; schedules, alerts and money formatting need the real ones.
    """
    from storage.repositories import audit

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
