"""The WhatsApp channel's own messages (pt-BR first, English second)."""

from __future__ import annotations

from mediabrain.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "whatsapp.list_button": {"pt-BR": "Ver opções", "en": "See options"},
    "whatsapp.choose": {"pt-BR": "Escolha uma opção:", "en": "Choose an option:"},
    "whatsapp.unsupported": {
        "pt-BR": "Por enquanto só entendo mensagens de texto. Digite *ajuda* para ver o que sei fazer.",
        "en": "For now I only understand text messages. Type *help* to see what I can do.",
    },
    "whatsapp.link.done": {
        "pt-BR": "Pronto: o número +{number} agora é {role} neste workspace. Ele já pode falar comigo.",
        "en": "Done: +{number} is now {role} in this workspace. They can message me now.",
    },
    "whatsapp.link.invalid": {
        "pt-BR": (
            "Não entendi o número. Use o formato internacional só com dígitos, "
            "ex.: *vincular 5511999999999 operador*."
        ),
        "en": (
            "I couldn't read that number. Use the international format with digits only, "
            "e.g. *link 5511999999999 operator*."
        ),
    },
    "whatsapp.link.elsewhere": {
        "pt-BR": "O número +{number} já está vinculado a outro workspace; nada foi alterado.",
        "en": "+{number} is already linked to another workspace; nothing was changed.",
    },
    "whatsapp.delivery_failed": {
        "pt-BR": "Uma mensagem do WhatsApp para +{number} não foi entregue: {error} (código {code}).",
        "en": "A WhatsApp message to +{number} was not delivered: {error} (code {code}).",
    },
}

register(MESSAGES)
