"""The Slack channel's own messages (pt-BR first, English second)."""

from __future__ import annotations

from vocabulary.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "slack.ack": {
        "pt-BR": "⏳ Recebido: `{command}`. Já te respondo aqui.",
        "en": "⏳ Got it: `{command}`. The answer is on its way.",
    },
    "slack.not_registered": {
        "pt-BR": "Não consegui registrar seu pedido agora (ref {ref}). Tente de novo em instantes.",
        "en": "I couldn't register your request right now (ref {ref}). Please try again shortly.",
    },
    "slack.reason.title": {"pt-BR": "Por que rejeitar?", "en": "Why reject it?"},
    "slack.reason.submit": {"pt-BR": "Enviar", "en": "Send"},
    "slack.reason.skip": {"pt-BR": "Pular", "en": "Skip"},
    "slack.reason.label": {
        "pt-BR": "O motivo (opcional): a equipe de IA aprende com ele",
        "en": "The reason (optional): the AI crew learns from it",
    },
    "slack.reason.placeholder": {
        "pt-BR": "Ex.: é a campanha da Black Friday, fica no ar até sexta",
        "en": "E.g. it is the Black Friday campaign, it stays on until Friday",
    },
    "slack.confirm.title": {"pt-BR": "Tem certeza?", "en": "Are you sure?"},
    "slack.confirm.yes": {"pt-BR": "Sim, confirmar", "en": "Yes, go ahead"},
    "slack.confirm.no": {"pt-BR": "Cancelar", "en": "Cancel"},
    "slack.chart_failed": {
        "pt-BR": "Não consegui anexar o gráfico ({error}). Os números acima estão completos.",
        "en": "I couldn't attach the chart ({error}). The figures above are complete.",
    },
    "slack.install.no_workspace": {
        "pt-BR": "O app não está instalado neste workspace do Slack. Peça a um administrador para instalá-lo.",
        "en": "The app is not installed in this Slack workspace. Ask an admin to install it.",
    },
}

register(MESSAGES)
