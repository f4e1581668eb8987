"""A button that stands for a typed command (choices, shortcuts): run it as if typed."""

from __future__ import annotations

from dataclasses import replace

from bot.core.context import TurnContext
from bot.core.conversation import _dispatch
from vocabulary.inbound import Action


def run_command(ctx: TurnContext, action: Action) -> None:
    ctx.inbound = replace(ctx.inbound, text=action.value, action=None)
    _dispatch(ctx)
