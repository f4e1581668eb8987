"""The WhatsApp channel's own messages (pt-BR first, English second)."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "whatsapp.list_button": {"pt-BR": "Ver opções", "en": "See options"},
    "whatsapp.choose": {"pt-BR": "Escolha uma opção:", "en": "Choose an option:"},
    "whatsapp.delivery_failed": {
        "pt-BR": "Uma mensagem do WhatsApp para +{number} não foi entregue: {error} (código {code}).",
        "en": "A WhatsApp message to +{number} was not delivered: {error} (code {code}).",
    },
}

register(MESSAGES)
