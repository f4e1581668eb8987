"""Words for issue 15's chat (confirmations, pending requests, deletions, targets asked back).

pt-BR first, English second; registered on import by the handlers that use them.
"""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # --- a second confirmation before a likely typo ---
    "confirm.budget_floor": {
        "pt-BR": (
            "⚠️ Orçamento diário de “{name}”: {current} → {new} ({change}). "
            "Isso é menos de {floor} do atual ou menos que o mínimo de {minimum} — "
            "pode ser um erro de digitação. Confirma?"
        ),
        "en": (
            "⚠️ Daily budget of “{name}”: {current} → {new} ({change}). "
            "That is under {floor} of the current one or under the minimum of {minimum} — "
            "it may be a typo. Confirm?"
        ),
    },
    "confirm.yes": {"pt-BR": "Sim, {new}", "en": "Yes, {new}"},
    "confirm.no": {"pt-BR": "Cancelar", "en": "Cancel"},
    "confirm.cancelled": {
        "pt-BR": "Cancelado: nada foi mudado.",
        "en": "Cancelled: nothing changed.",
    },
    "confirm.gone": {
        "pt-BR": "Essa confirmação não vale mais; peça a mudança de novo.",
        "en": "That confirmation is no longer valid; ask for the change again.",
    },
}

register(MESSAGES)
