"""Pure matchers for managing pushes in chat: daily report hour, alerts on/off, thresholds, send now.

Same contract as :mod:`bot.core.intents` (normalized text in, arguments or
``None`` out); kept apart so the schedule vocabulary lives in one place.
``intents.match_report`` refuses texts with schedule words ("diário",
"agora"...), so these are the ones that answer them.
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_REPORT = (
    r"(?:o |a |os |the |my |meu |minha )?(?:relatorio|relatorios|report|reports|resumo|summary)"
)
_DAILY = r"(?:diario|diaria|diarios|daily|do dia|todo dia|todos os dias|every day)"
#: "relatório diário" / "daily report" (English puts the adjective first).
_DAILY_REPORT = rf"(?:{_REPORT}\s+{_DAILY}|(?:the |my )?daily (?:report|reports|summary))"

_HOUR = re.compile(
    r"(?:\b(?:as|a|at|@|para as|pra as|pras)\s+)?(?P<hour>\d{1,2})(?:[:h](?P<minute>\d{2}))?"
    r"\s*(?P<suffix>h\b|hs\b|horas\b|hrs\b|am\b|pm\b|o'?clock\b)?"
)


def parse_hour(text: str) -> int | None:
    """A whole hour 0-23 from "9h", "às 18", "18:00", "9am", "6 pm"; -1 when malformed."""
    match = _HOUR.search(text)
    if not match:
        return None
    hour = int(match.group("hour"))
    minute = match.group("minute")
    suffix = match.group("suffix") or ""
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or (minute not in (None, "00")):
        return -1
    return hour


_OFF = r"(?:desligar|desliga|desative|desativar|parar|para de|pare|cancelar|cancela|cancele|sem|silenciar|silencia|turn off|stop|disable|mute|cancel|unsubscribe(?: from)?)"
_ON = r"(?:ligar|liga|ativar|ativa|religar|reativar|turn on|enable|activate|resume|start)"

_REPORT_OFF = re.compile(rf"^{_OFF}\s+(?:o |os |the |my )?{_DAILY_REPORT}$")
_REPORT_ON = re.compile(
    rf"^(?:(?:quero|receber|receba|enviar|envie|mande|manda|mandar|me envie|me mande|"
    rf"agendar|agende|programar|send me|send|schedule|subscribe to|i want|get)\s+)?"
    rf"{_DAILY_REPORT}(?P<rest>(?:\s+.*)?)$"
)


def match_daily_report(text: str, language: str = "pt-BR") -> Args | None:
    """ "relatório diário às 9h" → {"enabled": True, "hour": 9}; "parar relatório diário" → off."""
    if _REPORT_OFF.match(text):
        return {"enabled": False}
    match = _REPORT_ON.match(text)
    if not match:
        return None
    rest = match.group("rest").strip()
    if re.search(r"\b(agora|now)\b", rest):
        return None  # "relatório diário agora" is a send-now
    hour = parse_hour(rest) if rest else None
    if rest and hour is None:
        return None
    return {"enabled": True, "hour": hour}


_ALERTS = r"(?:os |as |the |my |meus )?(?:alertas|alerta|alerts|alert|avisos|notificacoes|notifications)(?: de orcamento| budget| do orcamento)?"
_ALERTS_OFF = re.compile(rf"^{_OFF}\s+{_ALERTS}$")
_ALERTS_ON = re.compile(rf"^{_ON}\s+{_ALERTS}$")
_THRESHOLDS = re.compile(
    rf"^(?:{_ALERTS}|alertar|alerte|avisar|avise|alert me|notify me|warn me)"
    r"(?:\s+(?:a|em|aos|no|nos|at|when|quando|ao|de))?(?:\s+(?:atingir|chegar a|reaching|reach))?"
    r"\s+(?P<values>\d{1,3}\s*%?(?:\s*(?:,|e|and|&)\s*\d{1,3}\s*%?)*)"
    r"(?:\s*(?:do limite|of the limit|do orcamento|of budget))?$"
)


def match_alerts_switch(text: str, language: str = "pt-BR") -> Args | None:
    """ "desligar alertas" → {"enabled": False}; "ligar alertas" → {"enabled": True}."""
    if _ALERTS_OFF.match(text):
        return {"enabled": False}
    if _ALERTS_ON.match(text):
        return {"enabled": True}
    return None


def match_alert_thresholds(text: str, language: str = "pt-BR") -> Args | None:
    """ "alertas a 70%" → {"thresholds": [70]}; "alerts at 50% and 90%" → [50, 90]."""
    match = _THRESHOLDS.match(text)
    if not match or "%" not in match.group("values"):
        return None
    values = sorted({int(v) for v in re.findall(r"\d{1,3}", match.group("values"))})
    return {"thresholds": values}


_SEND_NOW = re.compile(
    rf"^(?:(?:enviar|envie|envia|manda|mandar|mande|me manda|me envie|gerar|gere|send|send me|give me)\s+)?"
    rf"(?:{_DAILY_REPORT}|{_REPORT})\s+(?:agora|now|ja|right now|agora mesmo)$"
)


def match_send_now(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _SEND_NOW.match(text) else None


_SUBSCRIPTIONS = re.compile(
    r"^(?:ver |show |minhas |my )?(?:assinaturas|subscriptions|notificacoes|notifications)$"
)


def match_subscriptions(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _SUBSCRIPTIONS.match(text) else None
