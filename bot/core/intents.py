"""Deterministic understanding of routine requests, in pt-BR and English, without any LLM.

Each matcher is a pure function of normalized text returning its arguments
(a dict) or ``None``. ``bot/core/routes.py`` pairs them with handlers.
"""

from __future__ import annotations

import re

from bot.core.workspace_config import find_field
from vocabulary.parsing import Args, parse_amount
from vocabulary.periods import DEFAULT_PERIOD, PeriodSpec, parse_period


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$")


# --- matchers --------------------------------------------------------------------

_HELP = _full(
    r"ajuda|help|menu|comandos|commands|\?|oi|ola|bom dia|boa tarde|boa noite|hi|hello|hey|"
    r"start|inicio|o que voce faz|what can you do"
)


def match_help(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _HELP.match(text) else None


_LANGUAGE = _full(
    r"(?:idioma|language|lingua)?\s*(?P<lang>english|ingles|en|portugues|portuguese|pt|pt-br)"
    r"|(?:fale|responda|speak|answer|reply)(?: em| in)? (?P<lang2>english|ingles|portugues|portuguese)"
)


def match_language(text: str, language: str = "pt-BR") -> Args | None:
    match = _LANGUAGE.match(text)
    if not match:
        return None
    word = match.group("lang") or match.group("lang2")
    if word in ("en",) and not text.startswith(("idioma", "language", "lingua")):
        return None
    return {"language": "en" if word in ("english", "ingles", "en") else "pt-BR"}


_REPORT_WORDS = re.compile(
    r"\b(relatorio|report|status|resumo|summary|desempenho|performance|como estao|como esta|"
    r"como foram|como foi|how are|how is|how did|metricas|metrics|numeros|numbers|resultados|results|"
    r"gasto|gastei|spend|spent|investimento|roas|cpa|ctr)\b"
)
_NOT_REPORT = re.compile(
    r"\b(diario|daily|agendar|schedule|enviar .* agora|send .* now|as \d|at \d)"
)


#: "a campanha de remarketing", "campaign black friday", "the remarketing campaign".
_ONE_CAMPAIGN = re.compile(
    r"\b(?:campanha|campaign)\s+(?:(?:de|da|do|of)\s+)?(?P<after>.+)$|"
    r"\bthe\s+(?P<before>.+?)\s+campaign\b"
)
_PERIOD_WORDS = re.compile(
    r"\b(?:(?:nos |nas |dos |das |in the |over the |for the )?"
    r"(?:ultimos|ultimas|last|past)\s+\d{1,3}\s*(?:dias|days|d)|hoje|today|hj|ontem|yesterday|"
    r"(?:n|d)?(?:este|esse) mes|mes (?:passado|atual)|(?:this|last|previous) month|mtd|"
    r"(?:na |da |nessa |nesta |this |last )?semana|week|doing|performing|indo|going)\b.*$"
)


def match_report(text: str, language: str = "pt-BR") -> Args | None:
    if not _REPORT_WORDS.search(text) or _NOT_REPORT.search(text):
        return None
    if len(text.split()) > 12:  # long free text is a question for the crew
        return None
    args: Args = {"period": parse_period(text) or DEFAULT_PERIOD}
    one = _ONE_CAMPAIGN.search(text)
    if one:
        name = _PERIOD_WORDS.sub("", one.group("after") or one.group("before") or "").strip()
        if name:
            args["campaign"] = name
    return args


def period_words(spec: PeriodSpec) -> str:
    """Words :func:`parse_period` reads back as ``spec`` (for buttons that re-ask a report)."""
    return spec.words()


_CAMPAIGNS = _full(
    r"(?:listar |lista de |list |minhas |my |ver |show |quais (?:sao )?(?:as )?(?:minhas )?)?"
    r"(?:campanhas|campaigns|campanha|campaign)(?: ativas| active)?"
)


def match_campaigns(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _CAMPAIGNS.match(text) else None


_TARGET = (
    r"(?:(?:a|o|the|da|do)\s+)?(?:(?:campanha|campaign|conjunto|adset|ad set)\s+)?(?P<target>.+)"
)
_PAUSE = _full(r"(?:pausar|pausa|pause|desligar|desliga|parar|para|stop|turn off)\s+" + _TARGET)
_RESUME = _full(
    r"(?:ativar|ativa|reativar|retomar|despausar|ligar|liga|resume|unpause|activate|enable|"
    r"turn on|restart)\s+" + _TARGET
)
_NOT_CAMPAIGN = re.compile(r"^(?:os |as |the )?(alertas|alerts|alerta|alert|relatorio|report)\b")


def match_pause(text: str, language: str = "pt-BR") -> Args | None:
    match = _PAUSE.match(text)
    if not match or _NOT_CAMPAIGN.match(match.group("target")):
        return None
    return {"target": match.group("target").strip()}


def match_resume(text: str, language: str = "pt-BR") -> Args | None:
    match = _RESUME.match(text)
    if not match or _NOT_CAMPAIGN.match(match.group("target")):
        return None
    return {"target": match.group("target").strip()}


_UP = r"aumentar|aumenta|aumente|subir|sobe|suba|elevar|eleva|increase|raise|boost"
_DOWN = (
    r"reduzir|reduz|reduza|diminuir|diminui|diminua|baixar|baixa|baixe|cortar|corta|corte|"
    r"lower|reduce|decrease|cut"
)
_BUDGET = _full(
    rf"(?:(?:(?P<up>{_UP})|(?P<down>{_DOWN})|definir|mudar|muda|alterar|altera|ajustar|ajusta|"
    r"colocar|coloca|set|change|update)\s+)?"
    r"(?:o\s+|the\s+)?(?:orcamento|budget|verba)(?:\s+diario|\s+daily)?"
    r"\s+(?:(?:da|de|do|of|for)\s+)?(?:(?:campanha|campaign)\s+)?(?P<target>.+?)"
    r"\s+(?:(?P<prep>para|pra|to|em|by|=|:|->)\s+)?(?P<sign>[+-])?\s*"
    r"(?P<amount>(?:r\$|\$)?\s*\d[\d.,]*\s*(?:k|mil)?)(?P<pct>\s*%)?"
    r"(?:\s*(?:reais|por dia|/dia|ao dia|per day|a day|/day))?"
)


def match_budget(text: str, language: str = "pt-BR") -> Args | None:
    """A new daily budget: absolute ("orçamento remarketing 150", "aumenta ... para 300"),
    a percentage ("reduzir o orçamento da black friday em 20%", "budget 2 +15%") or an
    amount more or less ("aumenta o orçamento do remarketing em 50 reais")."""
    match = _BUDGET.match(text)
    if not match:
        return None
    amount = parse_amount(match.group("amount"), language)
    if amount is None:
        return None
    target = match.group("target").strip()
    sign = match.group("sign")
    direction = -1 if (sign == "-" or match.group("down")) else 1
    relative_word = match.group("prep") in ("em", "by") and (
        match.group("up") or match.group("down")
    )
    if match.group("pct"):
        if not (sign or match.group("up") or match.group("down")):
            return {"target": target, "unsigned_percent": amount}  # up or down? ask, never guess
        return {"target": target, "percent": direction * amount}
    if sign or relative_word:
        return {"target": target, "delta": direction * amount}
    return {"target": target, "amount": amount}


_HISTORY = _full(r"historico|history|auditoria|audit|log|o que mudou|what changed")


def match_history(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _HISTORY.match(text) else None


_ALERTS = _full(
    r"(?:ver |show |minhas |my )?(?:alertas|alerts|alerta|alert)(?: de orcamento| budget)?"
)


def match_alerts(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _ALERTS.match(text) else None


_MONTHLY_LIMIT = _full(
    r"(?:definir |set )?(?:limite|limit|orcamento|budget)\s+(?:mensal|monthly|do mes|per month)"
    r"(?:\s+(?:de|para|to|em|=))?\s+(?P<amount>(?:r\$|\$)?\s*\d[\d.,]*\s*(?:k|mil)?)"
)


def match_monthly_limit(text: str, language: str = "pt-BR") -> Args | None:
    match = _MONTHLY_LIMIT.match(text)
    if not match:
        return None
    amount = parse_amount(match.group("amount"), language)
    return {"amount": amount} if amount is not None else None


_USAGE = _full(r"uso|usage|custo|custos|cost|costs|tokens|consumo")


def match_usage(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _USAGE.match(text) else None


_REASON = _full(r"(?:motivo|razao|reason)\s*[:\-]?\s+(?P<reason>\S.*)")


def match_decision_reason(text: str, language: str = "pt-BR") -> Args | None:
    """ "motivo: ainda em teste": why the user just approved or rejected a proposal."""
    match = _REASON.match(text)
    return {"reason": match.group("reason")} if match else None


_SETTINGS = _full(
    r"(?:ver |mostrar |show |minhas |my |as |the )?"
    r"(?:configuracoes|configuracao|config|configs|settings|ajustes|preferencias|metas|targets|kpis)"
)


def match_settings(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _SETTINGS.match(text) else None


_VALUE = r"\s*(?:(?:para|pra|em|de|=|:|to|of)\s+)?(?P<value>\S.*)"
_KPI_TARGET = re.compile(
    r"^(?:(?:definir|defina|set|mudar|alterar|change)\s+)?(?:(?:a|the)\s+)?"
    r"(?:meta (?:de |do |da )?(?P<a>cpa|roas|ctr|cpc)|(?P<b>cpa|roas|ctr|cpc) target|"
    r"target (?P<c>cpa|roas|ctr|cpc))" + _VALUE + "$"
)
_MAX_DAILY = re.compile(
    r"^(?:(?:definir|defina|set)\s+)?(?:o |the )?"
    r"(?:orcamento (?:maximo diario|diario maximo)|max(?:imum)? daily budget)" + _VALUE + "$"
)
_MARGIN = re.compile(
    r"^(?:(?:definir|defina|set)\s+)?(?:a |the |minha |my |our )?"
    r"(?:margem bruta|margem de contribuicao|margem|gross margin|margin)" + _VALUE + "$"
)
_AUTONOMY = re.compile(
    r"^(?:(?:definir|defina|set|mudar|change)\s+)?(?:a |the )?"
    r"(?:autonomia|nivel de autonomia|autonomy(?: level)?|modo)" + _VALUE + "$"
)
AUTONOMY_WORDS = frozenset(
    {"manual", "assistido", "assistida", "assisted", "piloto automatico", "piloto", "autopilot"}
)
_SET = re.compile(r"^(?:configurar|configure|config|definir|defina|set|change)\s+(?P<rest>.+)$")
_LEADING = re.compile(r"^(?:para|pra|em|=|:|to|como|as)\s+")


def match_setting(text: str, language: str = "pt-BR") -> Args | None:
    """ "meta de cpa 45", "max daily budget 1000", "configurar segmento moda": one setting."""
    match = _KPI_TARGET.match(text)
    if match:
        kpi = match.group("a") or match.group("b") or match.group("c")
        return {"field": f"target_{kpi}", "value": match.group("value")}
    match = _MAX_DAILY.match(text)
    if match:
        return {"field": "max_daily_budget", "value": match.group("value")}
    match = _MARGIN.match(text)
    if match and re.match(r"^\d", match.group("value")):
        return {"field": "gross_margin", "value": match.group("value")}
    match = _AUTONOMY.match(text)
    if match and match.group("value").strip() in AUTONOMY_WORDS:
        return {"field": "autonomy", "value": match.group("value")}
    match = _SET.match(text)
    if not match:
        return None
    words = match.group("rest").split()
    for size in range(min(4, len(words) - 1), 0, -1):
        field = find_field(" ".join(words[:size]))
        value = _LEADING.sub("", " ".join(words[size:])).strip()
        if field is not None and value:
            return {"field": field.key, "value": value}
    return None


_ACCOUNTS = _full(
    r"(?:ver |listar |list |show |minhas |my |as |the )?(?:contas|contas de anuncio|ad accounts|accounts)"
)


def match_accounts(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _ACCOUNTS.match(text) else None


_USE_ACCOUNT = _full(
    r"(?:usar|use|trocar para|mudar para|switch to|selecionar|select)\s+(?:a\s+|the\s+)?"
    r"(?:conta|account)\s+(?:de\s+anuncio\s+|de\s+anuncios\s+)?(?P<account>.+)"
)


def match_use_account(text: str, language: str = "pt-BR") -> Args | None:
    match = _USE_ACCOUNT.match(text)
    return {"account": match.group("account").strip()} if match else None
