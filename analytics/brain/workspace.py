"""The workspace's night across platforms: every linked account's plan, then the moves between them.

Each account's nightly job (:mod:`jobs.optimize`) asks :func:`moves_from` for the
cross-platform moves whose cut falls on its own account: every account of the workspace
is planned the same way (same data, same clock), so all nights find the same set of
moves and each proposes its share once, with no coordination between jobs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from analytics.brain.account import AccountView, plan_for
from analytics.brain.crossplatform import Move, Side, cross_moves
from analytics.brain.plan import NightPlan
from storage.models import AdAccount
from storage.repositories import ad_accounts
from vocabulary.platform_limits import platform_limits

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

#: Workspaces with more accounts than this are not paired across platforms (each night
#: plans every peer: the cost grows with the square of the accounts).
MAX_PEERS = 8


def peers_of(rt: Runtime, account: AdAccount) -> list[AdAccount]:
    """The workspace's usable accounts in this account's currency (this one included)."""
    with rt.db.session(account.workspace_id) as session:
        found = [
            a
            for a in ad_accounts(session, account.workspace_id)
            if a.currency == account.currency and a.token_status == "ok"
        ]
        for peer in found:
            session.expunge(peer)
    return found


def _rooms(sides: list[Side], limits: dict[str, Decimal]) -> list[Side]:
    """Each side with the daily spend its platform's own limit still allows after tonight."""
    out = []
    for side in sides:
        limit = limits.get(side.platform)
        room = None
        if limit is not None:
            same = [s for s in sides if s.platform == side.platform]
            after = sum(s.plan.projection.after for s in same)
            days = max(side.snapshot.days_left, 1)
            usable = float(limit) * (1 - side.snapshot.policy.limit_buffer)
            room = (usable - after) / days
        out.append(Side(side.account_pk, side.platform, side.snapshot, side.plan, room))
    return out


def moves_from(rt: Runtime, account: AdAccount, plan: NightPlan, view: AccountView) -> list[Move]:
    """Tonight's moves between platforms whose cut is on ``account`` (the others' nights
    propose theirs)."""
    peers = peers_of(rt, account)
    if len({p.platform for p in peers}) < 2 or len(peers) > MAX_PEERS:
        return []
    sides = []
    for peer in sorted(peers, key=lambda p: p.id):
        peer_plan, peer_view = (plan, view) if peer.id == account.id else plan_for(rt, peer)
        sides.append(Side(peer.id, peer.platform, peer_view.snapshot, peer_plan))
    sides = _rooms(sides, platform_limits(view.prefs))
    moves = cross_moves(sides, view.snapshot.objective)
    return [m for m in moves if m.source.account_pk == account.id]
