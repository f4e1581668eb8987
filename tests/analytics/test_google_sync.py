"""The Google Ads customer's history syncs into metrics_daily on PostgreSQL as on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from analytics.sync import sync_account
from storage.models import MetricDaily
from storage.repositories import link_ad_account


def test_the_google_demo_syncs_every_level_with_its_resource_names(
    make_world: Any, db_url: str
) -> None:
    world = make_world(db_url)
    with world.rt.db.session(world.ws1) as session:
        google = link_ad_account(
            session, world.ws1, GOOGLE_DEMO_CUSTOMER_ID, platform="google", name=GOOGLE_DEMO_NAME
        ).id

    result = sync_account(world.rt, google)

    with world.rt.db.session() as session:
        levels = dict(
            session.execute(
                select(MetricDaily.level, func.count())
                .where(MetricDaily.ad_account_id == google)
                .group_by(MetricDaily.level)
            ).all()
        )
        longest = session.scalar(
            select(func.max(func.length(MetricDaily.object_id))).where(
                MetricDaily.ad_account_id == google
            )
        )
    assert result.rows == sum(levels.values())
    assert set(levels) == {"account", "campaign", "adset", "ad"}
    # An ad is customers/<id>/adGroupAds/<ad group>~<ad>: longer than the old 64 characters.
    assert longest > 64
