"""The connector for a stored ad account: its token, the Graph URL (or sandbox), the cache.

The composition root hands :func:`connector_for` to every :class:`Runtime` it builds.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from cryptography.fernet import InvalidToken

from ads.errors import TokenExpired
from ads.factory import build_ads
from storage.crypto import TokenCipher
from storage.models import AdAccount
from vocabulary.ad_accounts import mark_token_invalid

if TYPE_CHECKING:
    from ads.base import AdsPlatform
    from vocabulary.runtime import Runtime

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
    settings = rt.settings.model_copy(update={"meta_graph_url": rt.graph_url})
    account_pk, workspace_id = account.id, account.workspace_id

    external_id = account.external_id

    def on_token_invalid(_called_for: str) -> None:
        # The failing call may name no account (GET /<campaign id>): the account is this one.
        mark_token_invalid(rt, workspace_id, account_pk, external_id)

    try:
        token = token_for(rt, account)
    except InvalidToken:
        # Encrypted with another key (rotated MEDIABRAIN_FERNET_KEY) or damaged: as unusable
        # as a revoked token, and the admins must hear it the same way.
        logger.error("ad account %s: its stored token does not decrypt", external_id)
        mark_token_invalid(rt, workspace_id, account_pk, external_id, reason="decrypt")
        raise TokenExpired(
            f"the stored token of ad account {external_id} cannot be decrypted",
            account_id=external_id,
        ) from None
    return build_ads(settings, redis=rt.redis, token=token, on_token_invalid=on_token_invalid)
