"""Better conversation summaries in the background (queue "low").

A turn folds old messages extractively at once, so memory stays bounded without
an LLM in the turn; when an LLM is configured the core queues this job, which
asks it for a real summary and puts it in place if no later fold moved on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crews.summaries import llm_summary
from storage.memory import Fold, folded_turns, replace_summary
from vocabulary.runtime import get_runtime

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)


def summarize_fold(
    workspace_id: int, conversation_id: int, previous: str, after_id: int, upto_id: int
) -> bool:
    return refine(get_runtime(), workspace_id, Fold(conversation_id, previous, after_id, upto_id))


def refine(rt: Runtime, workspace_id: int, fold: Fold) -> bool:
    with rt.db.session(workspace_id) as session:
        turns = folded_turns(session, fold)
    if not turns:
        return False
    summary = llm_summary(rt, workspace_id, fold.previous, turns)
    if not summary:
        return False
    with rt.db.session(workspace_id) as session:
        replaced = replace_summary(session, fold, summary)
    logger.info(
        "conversation %s: LLM summary up to message %s %s",
        fold.conversation_id,
        fold.upto_id,
        "stored" if replaced else "skipped (a later fold moved on)",
    )
    return replaced
