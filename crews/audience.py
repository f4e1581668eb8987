"""The account's personas as context for the crew's plans (figures from the models, as data).

The strategist reads who buys (personas from Meta's breakdowns, clustered by
:mod:`analytics.audience`) next to the learnings, so a plan aims its ad sets
at audiences that really convert; the numbers are the model's, never the LLM's.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from analytics.audience import audience, personas_block
from analytics.sync import local_today
from crews.prompts import as_data
from storage.models import AdAccount

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def personas_context(rt: Runtime, workspace_id: int, account_pk: int | None) -> str:
    """The personas block for a prompt, or "" (no account, no delivery, or a failed read)."""
    if account_pk is None:
        return ""
    with rt.db.session(workspace_id) as session:
        account = session.get(AdAccount, account_pk)
        if account is None:
            return ""
        session.expunge(account)
    try:
        found = audience(
            rt.ads(account),
            account.external_id,
            account.currency,
            local_today(rt.now(), account.timezone),
        )
    except Exception:
        logger.exception("crew: personas of account %s unavailable", account.external_id)
        return ""
    block = personas_block(found)
    return as_data("personas", block) if block else ""
