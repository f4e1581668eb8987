"""Copy for a named campaign starts from that campaign: its ads' texts and how each did.

"escreva 5 headlines para o remarketing" names a campaign; before the Copywriter writes,
the run reads that campaign's ads (headline and text of each creative) and their last
:data:`DAYS` days (impressions, CTR, conversions, CPA) through ``rt.ads``, and hands them
to the prompt as data next to the learnings: what exists is not rewritten, what works is
built on. A request that names no campaign gets nothing here.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ads.base import AdsPlatform, Campaign, Level, Period
from ads.errors import AdsError
from storage.models import AdAccount
from vocabulary.parsing import normalize
from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

DAYS = 14
MAX_ADS = 8
#: Words too common in campaign names to pick one by ("campanha 7d de vendas").
_COMMON = {"campanha", "campaign", "anuncio", "anuncios", "vendas", "sales", "para", "from"}


def named_campaign(request: str, campaigns: list[Campaign]) -> Campaign | None:
    """The one campaign whose name shares the most distinctive words with the request."""
    words = {w for w in normalize(request).split() if len(w) >= 4 and w not in _COMMON}
    scored = []
    for campaign in campaigns:
        name = {w for w in normalize(campaign.name).replace("-", " ").split() if len(w) >= 4}
        scored.append((len(words & name), campaign))
    scored.sort(key=lambda item: item[0], reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two campaigns fit equally: the request does not name one
    return scored[0][1]


def campaign_block(
    ads: AdsPlatform, account_id: str, timezone: str, request: str, now: datetime
) -> str:
    """The named campaign's ads and results as a prompt block ("" when none is named)."""
    campaign = named_campaign(request, ads.list_campaigns(account_id))
    if campaign is None:
        return ""
    listed = [a for a in ads.list_ads(account_id) if a.campaign_id == campaign.id][:MAX_ADS]
    creatives = {c.id: c for c in ads.list_creatives(account_id)}
    today = now.astimezone(ZoneInfo(timezone)).date()
    period = Period(today - timedelta(days=DAYS), today - timedelta(days=1))
    rows = ads.insights(account_id, Level.AD, period, object_ids=[a.id for a in listed])
    totals: dict[str, list[Decimal]] = {}
    for row in rows:
        seen = totals.setdefault(row.object_id, [Decimal(0)] * 4)
        for i, value in enumerate((row.impressions, row.clicks, row.conversions, row.spend)):
            seen[i] += Decimal(str(value))
    lines = [
        f'The campaign this request names: "{campaign.name}" (objective {campaign.objective}). '
        f"Its ads, last {DAYS} days (build on what works; do not repeat these texts):"
    ]
    for ad in listed:
        creative = creatives.get(ad.creative_id or "")
        text = f'"{creative.title}" / "{creative.body}"' if creative else f'"{ad.name}"'
        impressions, clicks, conversions, spend = totals.get(ad.id, [Decimal(0)] * 4)
        figures = f"{int(impressions)} impressions"
        if impressions:
            figures += f", CTR {clicks / impressions * 100:.2f}%"
        if conversions:
            figures += f", {int(conversions)} conversions, CPA {spend / conversions / 100:.2f}"
        lines.append(f"- {ad.name} [{ad.status.value}]: {text}; {figures}")
    return "\n".join(lines)


def copy_context(rt: Runtime, account_pk: int | None, workspace_id: int, request: str) -> str:
    """:func:`campaign_block` for the run's account; never fails the copy run."""
    if account_pk is None:
        return ""
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None:
            return ""
        session.expunge(account)
    try:
        return campaign_block(
            rt.ads(account), account.external_id, account.timezone, request, rt.now()
        )
    except AdsError as exc:
        logger.warning("copy run: could not read the named campaign: %s", exc.message)
        return ""
