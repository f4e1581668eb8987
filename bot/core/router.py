"""The router: a table of intents and button actions, each with the handler that answers it.

The table itself lives in :mod:`bot.core.routes` so that "what happens when
someone types ``relatório``" is one hop away.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storage.models import Role
from vocabulary.parsing import Args

if TYPE_CHECKING:
    from bot.core.context import TurnContext
    from vocabulary.inbound import Action

Matcher = Callable[[str, str], Args | None]
Handler = Callable[["TurnContext", Args], None]
ActionHandler = Callable[["TurnContext", "Action"], None]


def lazy(path: str) -> Callable[..., Any]:
    """A handler named "module:function", imported on first use (keeps start-up light)."""
    module, _, name = path.partition(":")

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = path
    return call


@dataclass(frozen=True)
class Route:
    name: str
    match: Matcher
    handler: Handler
    min_role: Role = Role.VIEWER


@dataclass(frozen=True)
class ActionRoute:
    prefix: str  # e.g. "approval." matches "approval.approve"
    handler: ActionHandler
    min_role: Role = Role.VIEWER


def _anyone(text: str) -> Role:
    return Role.VIEWER


class Router:
    def __init__(
        self,
        routes: list[Route],
        actions: list[ActionRoute],
        fallback: Handler,
        fallback_role: Callable[[str], Role] = _anyone,
    ) -> None:
        self.routes = routes
        self.actions = actions
        self.fallback = fallback
        #: The minimum role for free text nobody matched (starting a crew that can propose
        #: needs an operator), judged from the text as typed.
        self.fallback_role = fallback_role

    def match(self, text: str, language: str) -> tuple[Route, Args] | None:
        for route in self.routes:
            args = route.match(text, language)
            if args is not None:
                return route, args
        return None

    def action_route(self, name: str) -> ActionRoute | None:
        for route in self.actions:
            if name == route.prefix or name.startswith(route.prefix):
                return route
        return None
