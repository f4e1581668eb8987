"""The night's budget moves between platforms: found at night, proposed in the morning.

The nightly job stores each move (:mod:`analytics.brain.crossplatform`) in its run record
beside the account's own decisions; the morning digest lists them and submits each as one
paired ``move_budget`` proposal through the supervisor (cut first, then raise; both or
neither; undo moves both back). Like every change the engine proposes, it waits for a
person unless the workspace's autonomy says otherwise. The card names both campaigns and
platforms (:func:`supervisor.moves.describe_move`) and the reason gives the expected gain.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ads.base import Level
from analytics.brain.workspace import moves_from
from supervisor.moves import Leg, move_budget
from supervisor.proposals import Proposer
from vocabulary.i18n import Locale, register
from vocabulary.platforms import PLATFORMS
from vocabulary.untrusted import inert

if TYPE_CHECKING:
    from analytics.brain.account import AccountView
    from analytics.brain.plan import NightPlan
    from storage.models import AdAccount
    from supervisor.proposals import ActionProposal
    from vocabulary.runtime import Runtime

PROPOSER = Proposer("schedule", "nightly-optimization")

MESSAGES: dict[str, dict[str, str]] = {
    "optimize.move_reason": {
        "pt-BR": (
            "Retorno marginal maior em outra plataforma: cada R$ 1 a mais em “{dest}” "
            "({dest_platform}) traz {dest_roas} de receita, contra {source_roas} em “{source}” "
            "({source_platform}). Lucro de contribuição esperado: {gain}/dia (90%: {low} a "
            "{high}; chance de ganho {chance}), com o mesmo investimento total."
        ),
        "en": (
            "Higher marginal return on another platform: each extra 1.00 on “{dest}” "
            "({dest_platform}) brings {dest_roas} in revenue, against {source_roas} on "
            "“{source}” ({source_platform}). Expected contribution profit: {gain}/day "
            "(90%: {low} to {high}; chance of a gain {chance}), at the same total spend."
        ),
    },
    "optimize.move_line": {
        "pt-BR": "• Mover {amount}/dia de {source} ({source_platform}) para {dest} "
        "({dest_platform}): {gain}/dia",
        "en": "• Move {amount}/day from {source} ({source_platform}) to {dest} "
        "({dest_platform}): {gain}/day",
    },
}
register(MESSAGES)


def night_moves(
    rt: Runtime, account: AdAccount, plan: NightPlan, view: AccountView
) -> list[dict[str, Any]]:
    """Tonight's moves whose cut is on ``account``, as stored in the night's run record."""
    return [m.to_json() for m in moves_from(rt, account, plan, view)]


def _label(platform: str) -> str:
    info = PLATFORMS.get(platform)
    return info.label if info is not None else platform


def _money(locale: Locale, minor: int, currency: str, *, signed: bool = False) -> str:
    text = locale.money(Decimal(minor), currency)
    return f"+{text}" if signed and minor > 0 else text


def move_reason(item: dict[str, Any], currency: str, locale: Locale) -> str:
    source, dest, gain = item["source"], item["dest"], item["gain"]
    return locale.t(
        "optimize.move_reason",
        source=inert(str(source["name"]), 160),
        source_platform=_label(source["platform"]),
        dest=inert(str(dest["name"]), 160),
        dest_platform=_label(dest["platform"]),
        source_roas=locale.ratio(Decimal(source["marginal_roas"]["mean"])),
        dest_roas=locale.ratio(Decimal(dest["marginal_roas"]["mean"])),
        gain=_money(locale, gain["mean"], currency, signed=True),
        low=_money(locale, gain["low"], currency, signed=True),
        high=_money(locale, gain["high"], currency, signed=True),
        chance=locale.percent(Decimal(str(item.get("chance", 0))) * 100, 0),
    )


def move_line(item: dict[str, Any], currency: str, locale: Locale) -> str:
    """The digest's line for one move."""
    source, dest = item["source"], item["dest"]
    return locale.t(
        "optimize.move_line",
        amount=_money(locale, item["amount"], currency),
        source=inert(str(source["name"]), 160),
        source_platform=_label(source["platform"]),
        dest=inert(str(dest["name"]), 160),
        dest_platform=_label(dest["platform"]),
        gain=_money(locale, item["gain"]["mean"], currency, signed=True),
    )


def move_proposal(item: dict[str, Any], currency: str, locale: Locale) -> ActionProposal:
    """A stored move as the paired proposal the supervisor judges (the cut is its target)."""
    source, dest, amount = item["source"], item["dest"], int(item["amount"])

    def leg(end: dict[str, Any], new: int) -> Leg:
        return Leg(
            int(end["account"]),
            str(end["platform"]),
            Level(end["level"]),
            str(end["object_id"]),
            str(end["name"]),
            Decimal(int(end["budget"])),
            Decimal(new),
        )

    proposal = move_budget(
        leg(source, int(source["budget"]) - amount),
        leg(dest, int(dest["budget"]) + amount),
        reason=move_reason(item, currency, locale),
        proposer=PROPOSER,
    )
    # No "kind" here: the card keeps these words. "direction" and "figures" are what the
    # night remembers if a person rejects it: the source is not cut again for a week
    # unless its figures moved materially.
    proposal.extra["explanation"] = {
        "move": item,
        "currency": currency,
        "direction": "down",
        "figures": {"marginal_roas": float(source["marginal_roas"]["mean"])},
    }
    return proposal
