"""pywa clients built from settings, talking to ``MEDIABRAIN_WHATSAPP_API_URL``.

pywa's GraphAPI points the httpx session it is given at
``https://graph.facebook.com/v<version>``; we own that session, so we move
its base URL to the configured Graph root (keeping pywa's version path).
Tests and demos thereby talk to a local fake Cloud API and never to Meta.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from vocabulary.settings import Settings

if TYPE_CHECKING:
    import pywa
    import pywa_async

#: The webhook path on the web app (GET: verify-token challenge, POST: updates).
WEBHOOK_PATH = "/whatsapp/webhook"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)


def _rebase(session: httpx.Client | httpx.AsyncClient, api_url: str) -> None:
    version_path = session.base_url.path  # "/v26.0/" as set by pywa
    session.base_url = api_url.rstrip("/") + version_path


def _secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


def sync_client(settings: Settings) -> pywa.WhatsApp:
    """The client that sends (worker side)."""
    # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
    import pywa

    session = httpx.Client(timeout=TIMEOUT)
    client = pywa.WhatsApp(
        phone_id=settings.whatsapp_phone_id,
        token=_secret(settings.whatsapp_token),
        session=session,
    )
    _rebase(session, settings.whatsapp_api_url)
    return client


def webhook_client(settings: Settings) -> pywa_async.WhatsApp:
    """The async client that verifies and parses webhook updates (web side).

    It has no token: the web process only verifies, persists and enqueues.
    ``skip_duplicate_updates`` is off because pywa's in-memory cache would
    also swallow a redelivery after we failed to queue an update; our dedupe
    (Redis + the database's unique key) is the one that counts.
    """
    # pywa: the WhatsApp SDK, loaded only where WhatsApp is configured
    import pywa_async

    return pywa_async.WhatsApp(
        phone_id=settings.whatsapp_phone_id,
        token=None,
        verify_token=_secret(settings.whatsapp_verify_token),
        app_secret=_secret(settings.whatsapp_app_secret),
        validate_updates=True,
        skip_duplicate_updates=False,
        filter_updates=True,
        webhook_endpoint=WEBHOOK_PATH,
    )
