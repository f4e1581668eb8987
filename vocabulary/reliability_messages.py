"""Words for what went wrong behind the scenes: a lost turn, an interrupted change, a busy door."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "reliability.turn_lost": {
        "pt-BR": (
            "Não consegui processar sua mensagem “{text}” (o serviço reiniciou no meio). "
            "Pode enviá-la de novo? (ref {ref})"
        ),
        "en": (
            "I couldn't process your message “{text}” (the service restarted mid-way). "
            "Could you send it again? (ref {ref})"
        ),
    },
    "reliability.change_settled_executed": {
        "pt-BR": (
            "A execução de “{target}” foi interrompida, mas conferi na plataforma: "
            "a mudança foi aplicada. (proposta {proposal})"
        ),
        "en": (
            "Applying “{target}” was interrupted, but I checked the platform: "
            "the change is in place. (proposal {proposal})"
        ),
    },
    "reliability.change_settled_failed": {
        "pt-BR": (
            "A execução de “{target}” foi interrompida e conferi na plataforma: "
            "a mudança NÃO foi aplicada. Proponha de novo se ainda quiser. (proposta {proposal})"
        ),
        "en": (
            "Applying “{target}” was interrupted and I checked the platform: the change was "
            "NOT applied. Propose it again if you still want it. (proposal {proposal})"
        ),
    },
    "reliability.change_rescheduled": {
        "pt-BR": (
            "⏳ A Meta limitou temporariamente as chamadas desta conta. A mudança aprovada em "
            "“{target}” será aplicada às {at}; nada foi alterado ainda."
        ),
        "en": (
            "⏳ Meta is temporarily limiting calls for this account. The approved change to "
            "“{target}” will be applied at {at}; nothing has changed yet."
        ),
    },
    "report.incomplete": {
        "pt-BR": "⚠️ Incompleto (a Meta não concluiu o relatório, nem na segunda tentativa)",
        "en": "⚠️ Incomplete (Meta did not finish the report, even on a second try)",
    },
    "report.incomplete.previous": {
        "pt-BR": "comparação com o período anterior",
        "en": "comparison with the previous period",
    },
    "report.incomplete.daily": {"pt-BR": "série diária (gráfico)", "en": "daily series (chart)"},
    "reliability.try_again": {
        "pt-BR": "Estou sobrecarregado agora e não registrei seu pedido. Tente de novo em instantes.",
        "en": "I'm overloaded right now and didn't register your request. Please try again shortly.",
    },
}

register(MESSAGES)
