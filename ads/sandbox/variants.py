"""Known true differences between ads created through the API: what an A/B test can find.

The sandbox's ads have a hidden truth (:class:`ads.sandbox.model.AdTruth`). For ads created
through the API, the part a test varies is made explicit and documented here, so a test's
winner can be checked against the truth:

* **Shared base.** Ads created in one campaign share one base truth (CPM, conversion rate,
  order value, scale, fatigue), seeded by the campaign's id: the same offer, landing page and
  auction. *Assumption*: an A/B campaign's variants differ only in what is being tested.
* **Copy.** The CTR is multiplied by cues found in the ad's title and body
  (:data:`COPY_CUES`, multiplied together, capped at 1.6). *Stated assumptions*, chosen to
  echo common findings rather than measured: free shipping is among the strongest purchase
  motivators in e-commerce surveys (e.g. Baymard Institute's checkout studies list extra
  costs as the top reason to abandon), so an ad promising it draws more clicks (×1.25);
  urgency and scarcity ("hoje", "só até", "last chance") lift response modestly (×1.15); a
  concrete discount ("20% off", "R$ 50 de desconto") ×1.10. Any other text: ×1.0.
* **Audience.** The conversion rate is multiplied by the ad set's audience
  (:func:`audience_multiplier`): a 1% lookalike of buyers ×1.20 against ×1.0 for interests or
  broad targeting. *Assumption*, in line with Meta's description of lookalikes as people
  similar to your best customers (facebook.com/business/help/164749007013531).

* **Placement.** An ad set whose targeting keeps only vertical full-screen positions
  (``facebook_positions`` / ``instagram_positions`` all among story and reels) buys its
  impressions ×0.80 cheaper and earns ×0.90 the CTR (:func:`placement_multipliers`).
  *Stated assumptions*, in the direction advertisers commonly report (Stories and Reels
  inventory is cheaper per thousand impressions, and a swipe-through full-screen ad draws
  fewer link clicks than a feed ad); feed or automatic placements: ×1.0.

So ``"Frete grátis hoje"`` (×1.25 × 1.15 = ×1.44) beats ``"Só até domingo"`` (×1.15) by 25%
on CTR. Ads created with an explicit truth (the demo, scenarios, benches) are untouched.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: (pattern on accent-free lower-case text, CTR multiplier). Each cue counts once.
COPY_CUES: tuple[tuple[str, float], ...] = (
    (r"frete gratis|free shipping|entrega gratis", 1.25),
    (
        r"\bhoje\b|so ate|ultim[ao]s? (dia|chance|unidade)|today|last chance|ends (today|sunday)",
        1.15,
    ),
    (r"\d+ ?% (off|de desconto)|r\$ ?\d+ (off|de desconto)|\d+% off", 1.10),
)
COPY_CAP = 1.6
LOOKALIKE_CVR = 1.20
VERTICAL_POSITIONS = frozenset({"story", "facebook_reels", "reels", "instagram_reels"})
VERTICAL_CPM, VERTICAL_CTR = 0.80, 0.90


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def copy_multiplier(text: str) -> float:
    """CTR multiplier of an ad's copy (title and body together)."""
    folded = _fold(text)
    value = 1.0
    for pattern, multiplier in COPY_CUES:
        if re.search(pattern, folded):
            value *= multiplier
    return min(value, COPY_CAP)


def is_lookalike(targeting: dict[str, Any]) -> bool:
    """A targeting spec naming a lookalike custom audience."""
    audiences = targeting.get("custom_audiences") or []
    return any(
        "lookalike" in _fold(str(a.get("name", ""))) for a in audiences if isinstance(a, dict)
    )


def audience_multiplier(targeting: dict[str, Any]) -> float:
    """Conversion-rate multiplier of an ad set's audience."""
    return LOOKALIKE_CVR if is_lookalike(targeting) else 1.0


def placement_multipliers(targeting: dict[str, Any]) -> tuple[float, float]:
    """(CPM, CTR) multipliers of an ad set's placements: vertical-only positions differ."""
    positions = [
        str(p)
        for key in ("facebook_positions", "instagram_positions")
        for p in targeting.get(key) or []
    ]
    if positions and all(p in VERTICAL_POSITIONS for p in positions):
        return VERTICAL_CPM, VERTICAL_CTR
    return 1.0, 1.0
