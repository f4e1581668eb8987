"""Named errors translated to plain words in one place, at the edge of a turn."""

from __future__ import annotations

import logging
import secrets

from ads.errors import (
    AdsError,
    NotFound,
    PermissionDenied,
    Throttled,
    TokenExpired,
    TransientError,
    Unreachable,
)
from vocabulary.i18n import Locale, register
from vocabulary.platforms import PLATFORMS
from vocabulary.replies import Reply

logger = logging.getLogger(__name__)

MESSAGES: dict[str, dict[str, str]] = {
    "error.sandbox_unreachable": {
        "pt-BR": (
            "Não consegui falar com o sandbox da Meta em {url}. Inicie-o com `mediabrain sandbox` "
            "ou corrija MEDIABRAIN_META_GRAPH_URL."
        ),
        "en": (
            "Cannot reach the Meta sandbox at {url}. Start it with `mediabrain sandbox` or fix "
            "MEDIABRAIN_META_GRAPH_URL."
        ),
    },
    "error.meta_unreachable": {
        "pt-BR": (
            "Não consegui conectar à API da Meta. Verifique a rede e MEDIABRAIN_META_GRAPH_URL "
            "(com o sandbox: `mediabrain sandbox` precisa estar rodando)."
        ),
        "en": (
            "Cannot connect to the Meta API. Check the network and MEDIABRAIN_META_GRAPH_URL "
            "(with the sandbox: `mediabrain sandbox` must be running)."
        ),
    },
}
register(MESSAGES)


class NoAdAccount(LookupError):
    """The workspace has no ad account linked yet."""


class UserFacingError(Exception):
    """An error whose message key is meant for the user as it is."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class SandboxUnreachable(UserFacingError):
    """The sandbox's clock could not be read: it is not running at the configured URL."""

    def __init__(self, url: str) -> None:
        super().__init__("error.sandbox_unreachable", url=url)


def new_ref() -> str:
    """A short reference the user can quote and an operator can grep in the logs."""
    return secrets.token_hex(4).upper()


def explain(exc: BaseException, locale: Locale) -> Reply | None:
    """A plain-language reply for a known failure, or None for an unexpected one."""
    if isinstance(exc, UserFacingError):
        return Reply(locale.t(exc.key, **exc.params), kind="error")
    if isinstance(exc, NoAdAccount):
        return Reply(locale.t("error.no_account"), kind="error")
    if isinstance(exc, TokenExpired):
        return Reply(locale.t("error.token_expired"), kind="error")
    platform = _label(exc)
    if isinstance(exc, Unreachable):
        return Reply(locale.t("error.meta_unreachable"), kind="error")
    if isinstance(exc, Throttled):
        minutes = max(1, round((exc.retry_after or 60) / 60))
        return Reply(locale.t("error.throttled", minutes=minutes, platform=platform), kind="error")
    if isinstance(exc, TransientError):
        return Reply(locale.t("error.platform_unstable", platform=platform), kind="error")
    if isinstance(exc, PermissionDenied):
        return Reply(
            locale.t("error.permission", detail=exc.message, platform=platform), kind="error"
        )
    if isinstance(exc, NotFound):
        return Reply(locale.t("error.not_found"), kind="error")
    if isinstance(exc, AdsError):
        ref = new_ref()
        logger.warning("ads error ref=%s code=%s: %s", ref, exc.code, exc.message)
        return Reply(
            locale.t("error.platform", detail=exc.message, ref=ref, platform=platform),
            kind="error",
        )
    return None


def _label(exc: BaseException) -> str:
    info = PLATFORMS.get(getattr(exc, "platform", "meta"))
    return info.label if info is not None else "Meta"


def something_went_wrong(locale: Locale, ref: str) -> Reply:
    return Reply(locale.t("error.unexpected", ref=ref), kind="error")
