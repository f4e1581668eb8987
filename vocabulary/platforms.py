"""The ad platforms the product knows: names, labels and how their account ids are written.

Adding a platform (TikTok, LinkedIn) is a new connector package plus one entry
here and one builder in ``mediabrain/connectors.py``; chat, reports, schedules
and the supervisor read accounts through :class:`~ads.base.AdsPlatform` and this
table, never by the platform's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ads.google.ids import format_customer_id, parse_customer_id


@dataclass(frozen=True)
class PlatformInfo:
    name: str  # stored in ad_accounts.platform
    label: str  # shown to people
    words: tuple[str, ...]  # how people name it in chat
    parse_account_id: Callable[[str], str]  # what a person typed -> the stored id (ValueError)
    show_account_id: Callable[[str], str]  # the stored id -> how the platform shows it


def _parse_meta(text: str) -> str:
    digits = text.strip().removeprefix("act_")
    if not re.fullmatch(r"\d{1,20}", digits):
        raise ValueError(f"not a Meta ad account id: {text!r} (expected act_<digits>)")
    return f"act_{digits}"


PLATFORMS: dict[str, PlatformInfo] = {
    "meta": PlatformInfo("meta", "Meta", ("meta", "facebook", "instagram", "fb"), _parse_meta, str),
    "google": PlatformInfo(
        "google",
        "Google Ads",
        ("google", "google ads", "adwords"),
        parse_customer_id,
        format_customer_id,
    ),
}


def platform(name: str) -> PlatformInfo:
    try:
        return PLATFORMS[name]
    except KeyError:
        raise ValueError(f"unknown ad platform {name!r}; known: {', '.join(PLATFORMS)}") from None


def platform_named(word: str) -> PlatformInfo | None:
    """The platform a person meant by ``word`` ("google", "Meta", "facebook"...)."""
    wanted = word.strip().lower()
    for info in PLATFORMS.values():
        if wanted == info.name or wanted in info.words:
            return info
    return None
