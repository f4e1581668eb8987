"""Runtime wiring: the composition root gives each process's :class:`Runtime` its factories.

Lower layers only know :class:`vocabulary.runtime.Runtime`; here it learns how
to build a connector for a stored ad account (``mediabrain/connectors.py``), a
sender per channel (the adapters, imported when first used so the web process
loads only the channels it serves), how each channel's people are found (the
adapters' identity lookups), and what to run when the sandbox clock moves.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.console import CONSOLE_IDENTITY
from bot.core.identity import ChannelIdentity, register_identity
from bot.slack.identity import SLACK_IDENTITY, slack_identity
from bot.slack.tenancy import team_policy
from bot.whatsapp.identity import WHATSAPP_IDENTITY
from vocabulary.inbound import Channel
from vocabulary.runtime import Runtime, SenderFactory, install_factory
from vocabulary.settings import Settings, load_settings

if TYPE_CHECKING:
    from redis import Redis

    from ads.base import AdsPlatform
    from storage.models import AdAccount
    from vocabulary.outbox import Sender

#: How each channel's outbound sender is built: "module:callable(runtime) -> Sender".
SENDERS: dict[Channel, str] = {
    Channel.CONSOLE: "bot.console:ConsoleSender",
    Channel.SLACK: "bot.slack.sender:SlackSender",
    Channel.WHATSAPP: "bot.whatsapp.sender:WhatsAppSender",
}

#: How each channel's people are found (who is talking, in which language).
IDENTITIES: dict[Channel, ChannelIdentity] = {
    Channel.CONSOLE: CONSOLE_IDENTITY,
    Channel.SLACK: SLACK_IDENTITY,
    Channel.WHATSAPP: WHATSAPP_IDENTITY,
}


def _lazy(spec: str) -> SenderFactory:
    module, _, name = spec.partition(":")

    def build(rt: Runtime) -> Sender:
        # Adapters load when their channel first sends: the web process stays light.
        factory = getattr(importlib.import_module(module), name)
        return factory(rt)  # type: ignore[no-any-return]

    return build


def _connector(rt: Runtime, account: AdAccount) -> AdsPlatform:
    # the Meta SDK: loaded where an account is first read, not by the web process at start
    from mediabrain.connectors import connector_for

    return connector_for(rt, account)


def _run_due(rt: Runtime) -> None:
    from jobs.schedules import run_due  # the scheduled jobs: only when the clock moves

    run_due(rt)


def _learn_from_decision(
    rt: Runtime, workspace_id: int, proposal_id: str, decision: str, reason: str | None
) -> None:
    from crews.learnings import record_decision_learning  # the crew package: worker side only

    record_decision_learning(rt, workspace_id, proposal_id, decision, reason)


def _follow_test_decision(
    rt: Runtime, workspace_id: int, proposal_id: str, decision: str, reason: str | None
) -> None:
    """A rejected (or expired) A/B test proposal shows on the test's card at once."""
    from bot.core.experiments.monitor import on_proposal  # scipy via the verdict: worker side

    on_proposal(rt, workspace_id, proposal_id)


def build_runtime(settings: Settings, *, redis: Redis | None = None) -> Runtime:
    """A :class:`Runtime` wired with this product's connectors, senders and clock hook."""
    for channel, identity in IDENTITIES.items():
        register_identity(channel, identity)
    # Slack's tenants depend on the settings: who may claim the default workspace.
    register_identity(Channel.SLACK, slack_identity(team_policy(settings)))
    rt = Runtime(
        settings,
        redis=redis,
        connectors=_connector,
        senders={channel: _lazy(spec) for channel, spec in SENDERS.items()},
    )
    rt.on_clock_advanced = _run_due
    rt.decision_listeners.append(_learn_from_decision)
    rt.decision_listeners.append(_follow_test_decision)
    return rt


def install() -> None:
    """Let :func:`vocabulary.runtime.get_runtime` build this process's runtime from the env."""
    install_factory(lambda: build_runtime(load_settings()))


install()
