"""Smart alerts reach the chats: one message per incident (several at once, grouped), kept current.

For every chat that receives alerts (:func:`vocabulary.recipients.recipients`)
the run's events pass the chat's own settings (mutes, thresholds:
:func:`analytics.alerts.incidents.route_to_chat`). New incidents go out in one
message with a small chart; an update or a recovery edits the message that
showed the incident (where the channel can edit; elsewhere a short new
message says it). Where an action fits, the supervisor gets a proposal (a cut
budget, a pause, a raised budget for a budget-limited winner) and its approval
card follows the alert in every chat it went to, once per incident.

Opportunities (💡: a campaign beating its target while its budget runs out, a
segment whose ROAS rises) travel in their own message, never grouped with
problems, with what there is to gain per day instead of what is at stake.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_precision
from sqlalchemy import select

import vocabulary.alert_messages  # noqa: F401  (registers the alerts' messages)
from ads.base import Level
from analytics.alert_charts import alert_chart
from analytics.alerts.findings import ActionKind, AlertKind, Finding
from analytics.alerts.incidents import (
    ChatAlertSettings,
    EventKind,
    Incident,
    IncidentEvent,
    IncidentStatus,
    LifecycleState,
    route_to_chat,
)
from analytics.pacing import scaled_budget
from jobs.budget import budget_holders
from jobs.propose import Proposed, propose, show_card
from storage.models import AdAccount, AlertChatSettings, AlertState, Proposal
from supervisor.proposals import ActionProposal, Proposer, pause, set_budget
from vocabulary.i18n import Locale
from vocabulary.notify import send
from vocabulary.recipients import ALERTS, recipients
from vocabulary.replies import Reply

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

#: A budget cut proposed with a CPM, CPA or ROAS alert keeps this share of the budget.
CUT_KEEP = Decimal("0.7")
_MONEY_METRICS = ("cpm", "cpa", "spend")
#: Disapproved ads named in the alert (the rest counted).
SHOWN_ADS = 5


def chat_settings(row: AlertChatSettings | None) -> ChatAlertSettings:
    """A chat's stored mutes and thresholds as the pure core reads them."""
    if row is None:
        return ChatAlertSettings()
    mutes: dict[AlertKind | None, datetime] = {}
    for kind, until in (row.mutes or {}).items():
        mutes[None if kind == "*" else AlertKind(kind)] = datetime.fromisoformat(until)
    thresholds = {AlertKind(k): Decimal(v) for k, v in (row.thresholds or {}).items()}
    return ChatAlertSettings(mutes=mutes, thresholds=thresholds)


def _value(finding: Finding, value: Decimal, currency: str, locale: Locale) -> str:
    if finding.metric in _MONEY_METRICS:
        return locale.money(value, currency)
    if finding.metric == "roas":
        return locale.ratio(value)
    if finding.metric == "ctr":
        return locale.percent(value * 100, digits=2)
    return locale.number(value.quantize(Decimal(1)))


def segment_label(attribute: str, value: str, locale: Locale) -> str:
    """ "age=35-44" as people say it: "35-44 anos", "mulheres", "Instagram", "computador"."""
    shown = value.replace("_", " ").title() if attribute == "publisher_platform" else value
    for key in (f"smart.segment.{attribute}.{value}", f"smart.segment.{attribute}"):
        text = locale.t(key, value=shown)
        if text != key:
            return text
    return locale.t("smart.segment.other", name=attribute, value=shown)


def _opportunity_name(incident: Incident, locale: Locale) -> str:
    details = incident.finding.details
    if "attribute" in details:
        return segment_label(details["attribute"], details.get("value", ""), locale)
    return details.get("name", incident.entity_id)


def _opportunity_line(incident: Incident, currency: str, locale: Locale) -> str:
    finding = incident.finding
    kind = locale.t(f"smart.kind.{incident.kind.value}")
    name = _opportunity_name(incident, locale)
    if incident.status is IncidentStatus.RESOLVED:
        at = locale.datetime(incident.resolved_at or incident.updated_at)
        return locale.t("smart.opp_line_over", kind=kind, name=name, at=at)
    money = locale.money(Decimal(finding.money_at_stake_per_day), currency)
    if incident.kind is AlertKind.RISING_SEGMENT:
        return locale.t(
            "smart.opp_line_segment", kind=kind, segment=name,
            observed=locale.ratio(finding.observed), expected=locale.ratio(finding.expected),
            change=locale.change(finding.change * 100) or "", money=money,
        )  # fmt: skip
    limited, _, days = finding.details.get("limited_days", "0/0").partition("/")
    return locale.t(
        "smart.opp_line_scale", kind=kind, name=name,
        metric=locale.t(f"smart.metric.{finding.metric}"),
        observed=_value(finding, finding.observed, currency, locale),
        target=_value(finding, finding.expected, currency, locale),
        change=locale.change(_displayed_change(finding) * 100) or "",
        days=days, limited=limited, money=money,
    )  # fmt: skip


def _displayed_change(finding: Finding) -> Decimal:
    """The metric's own change against its target (a CPA beating its target is negative)."""
    if not finding.expected:
        return finding.change
    return (finding.observed / finding.expected - 1).quantize(Decimal("0.0001"))


def _opportunity_action(incident: Incident, locale: Locale) -> str:
    share = Decimal(incident.finding.details.get("raise_share", "0.2")) * 100
    return locale.t(
        f"smart.opp_action.{incident.kind.value}", share=locale.percent(share, digits=0)
    )


def _line(incident: Incident, currency: str, locale: Locale) -> str:
    if incident.kind.is_opportunity:
        return _opportunity_line(incident, currency, locale)
    finding = incident.finding
    kind = locale.t(f"smart.kind.{incident.kind.value}")
    since = locale.datetime(incident.since)
    if incident.status is IncidentStatus.RESOLVED and incident.resolved_at is not None:
        return locale.t(
            "smart.line_resolved", kind=kind, at=locale.datetime(incident.resolved_at), since=since
        )
    money = locale.money(Decimal(finding.money_at_stake_per_day), currency)
    if incident.kind is AlertKind.ADS_DISAPPROVED:
        line = locale.t(
            "smart.line_disapproved", kind=kind, count=finding.observed, since=since, money=money
        )
        names = [n for n in finding.details.get("names", "").split("\n") if n]
        if not names:
            return line
        shown = ", ".join(f"“{n}”" for n in names[:SHOWN_ADS])
        if len(names) > SHOWN_ADS:
            shown = locale.t("smart.disapproved_more", ads=shown, more=len(names) - SHOWN_ADS)
        return line + "\n" + locale.t("smart.disapproved_ads", ads=shown)
    return locale.t(
        "smart.line",
        kind=kind,
        metric=locale.t(f"smart.metric.{finding.metric}"),
        observed=_value(finding, finding.observed, currency, locale),
        expected=_value(finding, finding.expected, currency, locale),
        change=locale.change(finding.change * 100) or "",
        since=since,
        money=money,
    )


def render(
    incidents: Sequence[Incident], account: AdAccount, locale: Locale, *, chart: bool
) -> Reply:
    """One message for the incidents shown together: what, since when, money at stake, action."""
    name = account.name or account.external_id
    live = [i for i in incidents if i.status is IncidentStatus.OPEN]
    good = all(i.kind.is_opportunity for i in incidents)  # opportunities travel apart
    if len(incidents) == 1:
        kind = locale.t(f"smart.kind.{incidents[0].kind.value}")
        if good:
            key = "smart.opp_title_one" if live else "smart.opp_title_over"
        else:
            key = "smart.title_one" if live else "smart.title_resolved"
        title = locale.t(key, kind=kind, account=name)
    else:
        key = "smart.opp_title_many" if good else "smart.title_many"
        title = locale.t(key, count=len(incidents), account=name)
    lines = [_line(i, account.currency, locale) for i in incidents]
    actions = dict.fromkeys(
        _opportunity_action(i, locale)
        if i.kind.is_opportunity
        else locale.t(f"smart.action.{i.finding.action.value}")
        for i in live
    )
    body = "\n".join([*lines, *actions])
    worst = max(live, key=lambda i: i.finding.money_at_stake_per_day, default=None)
    picture = None
    if chart and worst is not None and worst.finding.chart is not None:
        picture = alert_chart(worst.finding.chart, locale)
    return Reply(
        f"*{title}*\n{body}",
        kind="notice",
        title=title,
        sections=((title, body),),
        chart=picture,
        data={
            "template": "alert",
            "incidents": [i.id for i in incidents],
            "kinds": sorted({i.kind.value for i in incidents}),
        },
    )


def _proposal(
    rt: Runtime, account: AdAccount, incident: Incident, locale: Locale
) -> ActionProposal | None:
    """A pause or a budget cut of the biggest budget, where the incident's action calls for one."""
    if incident.kind is AlertKind.SCALE_OPPORTUNITY:
        return _raise(account, incident, locale)
    action = incident.finding.action
    if action not in (ActionKind.PAUSE, ActionKind.CUT_BUDGET):
        return None
    holders = budget_holders(rt, [account])
    if not holders:
        return None
    biggest = holders[0]
    reason = locale.t(
        "smart.reason",
        kind=locale.t(f"smart.kind.{incident.kind.value}"),
        metric=locale.t(f"smart.metric.{incident.finding.metric}"),
        change=locale.change(incident.finding.change * 100) or "",
        since=locale.datetime(incident.since),
    )
    proposer = Proposer("schedule", "smart-alerts")
    if action is ActionKind.PAUSE:
        return pause(
            biggest.level, biggest.id, biggest.name, current_status="ACTIVE",
            reason=reason, proposer=proposer,
        )  # fmt: skip
    unit = 10 ** get_currency_precision(account.currency)
    new = scaled_budget(biggest.daily_budget, CUT_KEEP, unit)
    if new >= biggest.daily_budget:
        return None
    return set_budget(
        biggest.level, biggest.id, biggest.name, new_budget=new,
        current_budget=biggest.daily_budget, reason=reason, proposer=proposer,
    )  # fmt: skip


def _raise(account: AdAccount, incident: Incident, locale: Locale) -> ActionProposal | None:
    """The budget-limited winner's budget, raised by the share its upside was computed for."""
    finding = incident.finding
    details = finding.details
    if "budget_id" not in details:
        return None
    current = Decimal(details["budget"])
    extra = Decimal(details.get("campaign_budget", details["budget"])) * Decimal(
        details.get("raise_share", "0.2")
    )
    unit = 10 ** get_currency_precision(account.currency)
    new = scaled_budget(current + extra, Decimal(1), unit)
    if new <= current:
        return None
    limited, _, days = details.get("limited_days", "0/0").partition("/")
    reason = locale.t(
        "smart.opp_reason", name=details.get("name", incident.entity_id),
        metric=locale.t(f"smart.metric.{finding.metric}"),
        observed=_value(finding, finding.observed, account.currency, locale),
        target=_value(finding, finding.expected, account.currency, locale), limited=limited,
        days=days,
    )  # fmt: skip
    return set_budget(
        Level(details["budget_level"]), details["budget_id"],
        details.get("budget_name", details["budget_id"]), new_budget=new,
        current_budget=current, reason=reason, proposer=Proposer("schedule", "smart-alerts"),
    )  # fmt: skip


def _known(state: LifecycleState, events: Iterable[IncidentEvent]) -> dict[str, Incident]:
    known = {i.id: i for i in (*state.open, *state.resolved)}
    for event in events:
        known[event.incident.id] = event.incident
    return known


def deliver(
    rt: Runtime,
    account: AdAccount,
    events: Sequence[IncidentEvent],
    state: LifecycleState,
    now: datetime,
) -> int:
    """Send or edit this run's alert messages in every receiving chat; the messages sent."""
    targets = recipients(rt, account.workspace_id, ALERTS)
    known = _known(state, events)
    with rt.db.session(account.workspace_id) as session:
        stored = session.scalar(select(AlertState).where(AlertState.ad_account_id == account.id))
        deliveries: dict[str, Any] = dict(stored.deliveries) if stored else {}
        conversation_ids = [t.to.conversation_id for t in targets if t.to.conversation_id]
        settings = {
            row.conversation_id: chat_settings(row)
            for row in session.scalars(
                select(AlertChatSettings).where(
                    AlertChatSettings.conversation_id.in_(conversation_ids)
                )
            )
        }
    sent = 0
    shown: dict[str, list[Any]] = {}  # incident id -> destinations that got it first
    for recipient in targets:
        to = recipient.to
        key = str(to.conversation_id or f"{to.channel.value}:{to.chat_id}")
        record = deliveries.get(key) or {"seen": [], "messages": {}}
        mine = settings.get(to.conversation_id or -1, ChatAlertSettings())
        digest, seen = route_to_chat(key, events, mine, frozenset(record["seen"]), now)
        if digest is None:
            continue
        locale = Locale(language=to.language, timezone=account.timezone)
        messages: dict[str, list[str]] = dict(record["messages"])
        problems = [i for i in digest.opened if not i.kind.is_opportunity]
        chances = [i for i in digest.opened if i.kind.is_opportunity]
        for group in (problems, chances):  # a problem and an opportunity never share a message
            if not group:
                continue
            ref = send(rt, to, render(group, account, locale, chart=True))
            if ref is not None:
                sent += 1
                messages[ref] = [i.id for i in group]
                for incident in group:
                    shown.setdefault(incident.id, []).append(to)
        changed = {i.id for i in (*digest.updated, *digest.resolved)}
        sender = rt.sender(to.channel)
        for ref, ids in list(messages.items()):
            if not changed & set(ids):
                continue
            together = [known[i] for i in ids if i in known]
            try:
                if sender.capabilities.edits_in_place:
                    sender.update(to, ref, render(together, account, locale, chart=False))
                else:  # a new, short message with only what changed
                    news = [known[i] for i in ids if i in changed and i in known]
                    send(rt, to, render(news, account, locale, chart=False))
                sent += 1
            except Exception:
                logger.exception("smart alerts: could not update %s in %s", ref, key)
            if all(known.get(i) is None or known[i].status is IncidentStatus.RESOLVED for i in ids):
                messages.pop(ref)  # nothing left to edit in it
        deliveries[key] = {"seen": sorted(seen), "messages": messages}
    with rt.db.session(account.workspace_id) as session:
        stored = session.scalar(select(AlertState).where(AlertState.ad_account_id == account.id))
        if stored is not None:
            stored.deliveries = deliveries
    _propose(rt, account, events, shown)
    return sent


def _propose(
    rt: Runtime, account: AdAccount, events: Sequence[IncidentEvent], shown: dict[str, list[Any]]
) -> list[Proposed]:
    """One proposal per new incident that calls for one; its card where the alert went."""
    out = []
    for event in events:
        if event.kind is not EventKind.OPENED or event.incident.id not in shown:
            continue
        first = shown[event.incident.id][0]
        proposal = _proposal(rt, account, event.incident, Locale(language=first.language))
        if proposal is None:
            continue
        item = propose(rt, account.workspace_id, account.id, proposal)
        if item is None:
            continue
        out.append(item)
        # A pending card has reached the approvers' own chats already; every other chat the
        # alert went to (a team channel) gets the card below it too, so "card below" holds.
        holding = _holding(rt, account.workspace_id, item.id)
        for to in shown[event.incident.id]:
            if to.conversation_id is None or to.conversation_id not in holding:
                show_card(rt, account.workspace_id, item.id, to)
    return out


def _holding(rt: Runtime, workspace_id: int, proposal_id: str) -> set[int]:
    """Conversations already showing the proposal's card."""
    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, proposal_id)
        if row is None:
            return set()
        cards = (row.result or {}).get("cards", [])
        return {int(c["conversation_id"]) for c in cards if c.get("conversation_id")}
