"""The connector for a stored ad account: its platform's connector, credentials, the cache.

The composition root hands :func:`connector_for` to every :class:`Runtime` it builds;
:data:`BUILDERS` holds one builder per platform in :data:`vocabulary.platforms.PLATFORMS`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cryptography.fernet import InvalidToken

from ads.cache import CachedAds, token_scope
from ads.cache_backends import RedisBackend
from ads.errors import TokenExpired
from ads.factory import build_ads, process_cache
from storage.crypto import TokenCipher
from storage.models import AdAccount
from vocabulary.ad_accounts import mark_token_invalid
from vocabulary.errors import SandboxUnreachable

if TYPE_CHECKING:
    from ads.base import AdsPlatform
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

SANDBOX_TOKEN = "sandbox-token"
#: What the embedded or standalone Google Ads sandbox accepts (any non-empty values do).
SANDBOX_GOOGLE_CREDENTIALS = {
    "developer_token": "sandbox-developer-token",
    "client_id": "sandbox-client",
    "client_secret": "sandbox-secret",
    "refresh_token": "sandbox-refresh-token",
}


def token_for(rt: Runtime, account: AdAccount) -> str:
    if account.access_token_encrypted:
        return TokenCipher(rt.settings.fernet_key).decrypt(account.access_token_encrypted)
    if rt.settings.meta_access_token is not None:
        return rt.settings.meta_access_token.get_secret_value()
    if rt.settings.use_sandbox:
        return SANDBOX_TOKEN
    raise LookupError(f"no access token for ad account {account.external_id}")


def _invalidator(rt: Runtime, account: AdAccount) -> Callable[[str], None]:
    account_pk, workspace_id = account.id, account.workspace_id
    external_id = account.external_id

    def on_token_invalid(_called_for: str) -> None:
        # The failing call may name no account (GET /<campaign id>): the account is this one.
        mark_token_invalid(rt, workspace_id, account_pk, external_id)

    return on_token_invalid


def _undecryptable(rt: Runtime, account: AdAccount) -> TokenExpired:
    """Credentials encrypted with another key (a rotated MEDIABRAIN_SECRET_KEY) or damaged: as
    unusable as a revoked token, and the admins must hear it the same way."""
    external_id = account.external_id
    logger.error("ad account %s: its stored credentials do not decrypt", external_id)
    mark_token_invalid(rt, account.workspace_id, account.id, external_id, reason="decrypt")
    return TokenExpired(
        f"the stored token of ad account {external_id} cannot be decrypted",
        account_id=external_id,
    )


#: How long a standalone sandbox's clock, read over HTTP, is trusted (wall seconds).
EPOCH_READ_SECONDS = 1.0


def sandbox_epoch(rt: Runtime) -> Callable[[], str] | None:
    """The simulated clock the read cache follows (``None`` against the real platforms).

    The embedded sandbox is asked in-process; a standalone one over HTTP, at most
    once a second (an advance is seen within that second).
    """
    if rt.sandbox is None and not rt.settings.use_sandbox:
        return None
    last: list[float | str] = [0.0, ""]

    def epoch() -> str:
        sandbox = rt.sandbox
        if sandbox is not None:
            return str(sandbox.now().isoformat())
        if time.monotonic() - float(last[0]) >= EPOCH_READ_SECONDS:
            try:
                last[1] = rt.now().isoformat()
            except SandboxUnreachable:
                last[1] = ""  # the read itself will say the sandbox is down
            last[0] = time.monotonic()
        return str(last[1])

    return epoch


def meta_connector(rt: Runtime, account: AdAccount) -> AdsPlatform:
    settings = rt.settings.model_copy(update={"meta_graph_url": rt.graph_url})
    try:
        token = token_for(rt, account)
    except InvalidToken:
        raise _undecryptable(rt, account) from None
    return build_ads(
        settings, redis=rt.redis, token=token, on_token_invalid=_invalidator(rt, account),
        epoch=sandbox_epoch(rt),
    )  # fmt: skip


def google_credentials(rt: Runtime, account: AdAccount) -> dict[str, Any]:
    """The account's own credentials (encrypted JSON) over the operator's settings."""
    s = rt.settings
    values: dict[str, Any] = {
        "developer_token": s.google_ads_developer_token.get_secret_value()
        if s.google_ads_developer_token
        else None,
        "client_id": s.google_ads_client_id,
        "client_secret": s.google_ads_client_secret.get_secret_value()
        if s.google_ads_client_secret
        else None,
        "refresh_token": s.google_ads_refresh_token.get_secret_value()
        if s.google_ads_refresh_token
        else None,
        "login_customer_id": s.google_ads_login_customer_id,
    }
    if account.access_token_encrypted:
        try:
            own = json.loads(TokenCipher(s.fernet_key).decrypt(account.access_token_encrypted))
        except InvalidToken:
            raise _undecryptable(rt, account) from None
        values.update({k: v for k, v in own.items() if v})
    if rt.sandbox is not None or s.use_sandbox:
        values = {**SANDBOX_GOOGLE_CREDENTIALS, **{k: v for k, v in values.items() if v}}
    missing = [
        k
        for k in ("developer_token", "client_id", "client_secret", "refresh_token")
        if not values.get(k)
    ]
    if missing:
        raise LookupError(
            f"Google Ads account {account.external_id} has no {', '.join(missing)} "
            "(MEDIABRAIN_GOOGLE_ADS_* settings or `mediabrain accounts add --platform google`)"
        )
    return values


def google_connector(rt: Runtime, account: AdAccount) -> AdsPlatform:
    # google-ads (gRPC and its generated types) loads only when a Google account is used.
    from ads.google.factory import GoogleCredentials, build_google_ads
    from ads.google.sandbox.tls import trust  # trusting a certificate file: stdlib + crypto

    values = google_credentials(rt, account)
    endpoint, token_uri = rt.settings.google_ads_endpoint, rt.settings.google_ads_token_uri
    embedded = rt.google_sandbox() if rt.sandbox is not None else None
    if embedded is not None:
        endpoint, token_uri = embedded.endpoint, embedded.token_uri
        trust(embedded.certificate_file)
    elif rt.settings.google_ads_ca_file is not None:
        trust(rt.settings.google_ads_ca_file)
    connector = build_google_ads(
        GoogleCredentials(
            developer_token=values["developer_token"],
            client_id=values["client_id"],
            client_secret=values["client_secret"],
            refresh_token=values["refresh_token"],
            login_customer_id=values.get("login_customer_id"),
        ),
        endpoint=endpoint,
        token_uri=token_uri,
        timeout=rt.settings.google_ads_timeout_seconds,
        on_token_invalid=_invalidator(rt, account),
    )
    # The same read cache as Meta's, keyed by customer and scoped to the grant.
    backend = RedisBackend(rt.redis) if rt.redis is not None else process_cache(endpoint)
    return CachedAds(
        connector, backend, scope=token_scope(values["refresh_token"]), epoch=sandbox_epoch(rt)
    )


#: One builder per platform (``vocabulary.platforms.PLATFORMS`` names them).
BUILDERS: dict[str, Callable[[Runtime, AdAccount], AdsPlatform]] = {
    "meta": meta_connector,
    "google": google_connector,
}


def connector_for(rt: Runtime, account: AdAccount) -> AdsPlatform:
    try:
        builder = BUILDERS[account.platform or "meta"]
    except KeyError:
        raise LookupError(f"no connector for platform {account.platform!r}") from None
    return builder(rt, account)
