"""A workspace's monthly limit per ad platform (issue 18), as stored and as read.

The workspace's monthly limit (``monthly_budget_limit``) is across every platform;
``platform_limits`` adds an optional limit of each platform's own, in minor units of the
workspace currency (``{"google": "2000000"}`` is R$ 20.000,00 a month on Google Ads).
Both hold: a change must keep the workspace under its limit and its platform under its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from storage.models import WorkspaceSettings


def platform_limits(prefs: WorkspaceSettings) -> dict[str, Decimal]:
    """Each platform's own monthly limit (minor units); platforms without one are absent."""
    out: dict[str, Decimal] = {}
    for platform, raw in (prefs.platform_limits or {}).items():
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            continue
        if value > 0:
            out[str(platform)] = value
    return out


def platform_limit(prefs: WorkspaceSettings, platform: str) -> Decimal | None:
    return platform_limits(prefs).get(platform)


def set_platform_limit(prefs: WorkspaceSettings, platform: str, amount: Decimal | None) -> None:
    """Store (or with None, clear) one platform's limit; a new dict so the JSON is saved."""
    limits = dict(prefs.platform_limits or {})
    if amount is None:
        limits.pop(platform, None)
    else:
        limits[platform] = str(int(amount))
    prefs.platform_limits = limits
