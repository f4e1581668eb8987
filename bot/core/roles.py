"""Who may start which crew flow: free text has no route of its own, so its role is here.

Every route and button in :mod:`bot.core.routes` declares its minimum role and the
core checks it before any handler runs (:func:`bot.core.conversation._dispatch`).
Free text nobody matched has no route of its own, so its role is judged here from
the words: a crew flow that can lead to a change (an analysis whose Optimizer
proposes, a plan whose drafts can be created) needs an operator, like typing the
change would; a question answered from the numbers is reading. The README's table
"Who may do what" is checked against the route table and :data:`FLOW_ROLES`.
"""

from __future__ import annotations

from crews.intents import FlowKind, classify
from storage.models import Role

#: The minimum role to start each crew flow. Viewers read: they may ask questions.
FLOW_ROLES: dict[FlowKind, Role] = {
    "analyse": Role.OPERATOR,  # the Optimizer proposes pauses and budgets
    "plan": Role.OPERATOR,  # the plan card creates drafts
    "copy": Role.OPERATOR,  # writes ad texts for the account
    "answer": Role.VIEWER,  # read tools only
}


def freeform_role(text: str) -> Role:
    """The minimum role for free text nobody's route matched (the crew's door)."""
    return FLOW_ROLES[classify(text)]
