"""The workspace settings people may change, from chat or the CLI, each read and shown one way.

One table for both doors: ``configurar meta cpa 45`` in chat and
``mediabrain workspace set target_cpa 45`` on the command line parse the value
the same way (money in major units typed in the reader's locale, stored in minor
units), refuse bad values with a reason, and show it in the reader's words.
``profile.*`` fields feed the crew's prompts; ``policy.*`` fields override the
supervisor's guardrails (see :class:`supervisor.thresholds.PolicyConfig`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import bot.core.config_messages  # noqa: F401  (registers the settings' words)
from crews.prompts import available_variants
from storage.models import WorkspaceSettings
from storage.money import major_to_whole_minor
from supervisor.proposals import ActionKind
from supervisor.thresholds import PolicyConfig
from vocabulary.i18n import Locale
from vocabulary.parsing import normalize, parse_amount
from vocabulary.platform_limits import platform_limit, set_platform_limit
from vocabulary.platforms import PLATFORMS

#: Creative formats the crew has specialists for (``crews.agents.FORMAT_AGENTS``).
FORMATS = ("video", "carousel", "stories", "ugc", "image")
PROFILE_FIELDS = ("industry", "objective", "audience", "tone", "brand", "website", "page_id")
LANGUAGES = {"pt-br": "pt-BR", "pt": "pt-BR", "portugues": "pt-BR", "en": "en", "english": "en"}
#: Autonomy levels as people type them (pt-BR and English) → the stored value.
AUTONOMY = {
    "manual": "manual",
    "assistido": "assisted",
    "assistida": "assisted",
    "assisted": "assisted",
    "piloto automatico": "autopilot",
    "piloto": "autopilot",
    "autopilot": "autopilot",
    "auto pilot": "autopilot",
    "automatico": "autopilot",
}
YES = {"sim", "s", "yes", "y", "true", "on", "ligado", "1"}
NO = {"nao", "n", "no", "false", "off", "desligado", "0"}


class BadValue(ValueError):
    """A value that cannot be stored; ``key`` and ``params`` name the reason for the reader."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Field:
    key: str  # "target_cpa", "profile.industry", "policy.high_spend_7d"
    kind: str  # money | decimal | percent | hour | language | timezone | thresholds | text | ...
    aliases: tuple[str, ...] = ()  # normalized names people type (pt-BR and English)


_BASE = (
    Field("language", "language", ("idioma", "lingua")),
    Field("timezone", "timezone", ("fuso", "fuso horario", "time zone")),
    Field("report_hour", "hour", ("hora do relatorio", "horario do relatorio", "report hour")),
    Field("monthly_budget_limit", "money", ("limite mensal", "monthly limit")),
    Field(
        "max_daily_budget",
        "money",
        ("orcamento maximo diario", "orcamento diario maximo", "max daily budget"),
    ),
    Field("alert_thresholds", "thresholds", ("alertas", "limiares", "alert thresholds")),
    Field("target_ctr", "percent", ("meta ctr", "meta de ctr", "ctr target", "target ctr")),
    Field("target_cpc", "money", ("meta cpc", "meta de cpc", "cpc target", "target cpc")),
    Field("target_cpa", "money", ("meta cpa", "meta de cpa", "cpa target", "target cpa")),
    Field("target_roas", "decimal", ("meta roas", "meta de roas", "roas target", "target roas")),
    Field("gross_margin", "margin", ("margem bruta", "margem", "gross margin", "margin")),
    Field("autonomy", "autonomy", ("autonomia", "nivel de autonomia", "autonomy")),
    Field("prompt_variant", "variant", ("variante", "variante de prompt", "prompt variant")),
    Field("profile.industry", "text", ("segmento", "industria", "industry")),
    Field("profile.objective", "text", ("objetivo", "objective")),
    Field("profile.audience", "text", ("publico", "audience")),
    Field("profile.tone", "text", ("tom", "tom de voz", "tone")),
    Field("profile.brand", "text", ("marca", "brand")),
    Field("profile.website", "url", ("site", "website")),
    Field("profile.page_id", "digits", ("pagina", "page", "page id")),
    Field("profile.formats", "formats", ("formatos", "formats")),
    # --- the LLM's daily budget (issue 13) ---
    Field(
        "llm_daily_tokens",
        "tokens",
        ("limite de uso do llm", "limite diario do llm", "llm usage limit", "llm daily tokens"),
    ),
    Field(
        "llm_daily_cost_usd",
        "usd",
        ("limite de custo do llm", "custo maximo do llm", "llm cost limit", "llm daily cost"),
    ),
)


def _policy_fields() -> tuple[Field, ...]:
    return tuple(
        Field(f"policy.{key}", f"policy:{kind}") for key, kind in PolicyConfig.OVERRIDES.items()
    )


def _platform_fields() -> tuple[Field, ...]:
    """A monthly limit of each platform's own (issue 18), beside the workspace's across all."""
    out = []
    for info in PLATFORMS.values():
        aliases = dict.fromkeys(
            alias
            for word in (info.name, *info.words)
            for alias in (
                f"limite mensal {word}",
                f"limite mensal do {word}",
                f"{word} monthly limit",
                f"monthly limit {word}",
            )
        )
        out.append(Field(f"platform_limits.{info.name}", "money", tuple(aliases)))
    return tuple(out)


def fields() -> tuple[Field, ...]:
    return (*_BASE, *_platform_fields(), *_policy_fields())


def find_field(name: str) -> Field | None:
    """The field called ``name`` (its key, or an alias; accents and case ignored)."""
    wanted = normalize(name).replace("-", "_")
    for item in fields():
        if wanted == item.key or wanted.replace(" ", "_") == item.key:
            return item
        if wanted in item.aliases or wanted.replace("_", " ") in item.aliases:
            return item
    return None


# --- reading ---------------------------------------------------------------------------------------


def parse_value(item: Field, raw: str, *, language: str, currency: str) -> Any:
    """``raw`` as the value to store for ``item``; raises :class:`BadValue` with the reason."""
    text = raw.strip()
    norm = normalize(text)
    if norm in ("", "-", "nenhum", "nenhuma", "none", "limpar", "clear", "remover", "remove"):
        if item.kind in ("language", "timezone", "hour", "thresholds", "variant"):
            raise BadValue("config.bad.required")
        return None
    kind = item.kind.removeprefix("policy:")
    if kind in ("tokens", "usd"):
        return _llm_budget(kind, norm, text, language)
    if kind == "money":
        bare = re.sub(
            r"r\$|us\$|\$|\b(?:reais|real|brl|usd|dolares|dollars|por dia|/dia|a day|per day)\b",
            "",
            norm,
        )
        amount = parse_amount(" ".join(bare.split()), language)
        if amount is None or amount < 0:
            raise BadValue("config.bad.money", value=text)
        return amount if item.key.startswith("policy.") else major_to_whole_minor(amount, currency)
    if kind == "margin":
        amount = parse_amount(norm.rstrip("%").strip(), language)
        if amount is None or not 0 < amount <= 100:
            raise BadValue("config.bad.margin", value=text)
        return amount
    if kind == "autonomy":
        if norm not in AUTONOMY:
            raise BadValue(
                "config.bad.choice", value=text, choices="manual, assistido, piloto automático"
            )
        return AUTONOMY[norm]
    if kind in ("decimal", "percent"):
        amount = parse_amount(norm.rstrip("%x ").strip(), language)
        if amount is None or amount < 0:
            raise BadValue("config.bad.number", value=text)
        return amount
    if kind in ("int", "hour"):
        if not norm.rstrip("h").isdigit():
            raise BadValue("config.bad.number", value=text)
        number = int(norm.rstrip("h"))
        if kind == "hour" and not 0 <= number <= 23:
            raise BadValue("config.bad.hour", value=text)
        return number
    if kind == "bool":
        if norm in YES:
            return True
        if norm in NO:
            return False
        raise BadValue("config.bad.bool", value=text)
    if kind == "kinds":
        kinds = [k.strip() for k in norm.replace(";", ",").split(",") if k.strip()]
        allowed = {k.value for k in ActionKind}
        unknown = [k for k in kinds if k not in allowed]
        if unknown:
            raise BadValue(
                "config.bad.choice", value=", ".join(unknown), choices=", ".join(sorted(allowed))
            )
        return kinds
    if kind == "language":
        if norm not in LANGUAGES:
            raise BadValue("config.bad.choice", value=text, choices="pt-BR, en")
        return LANGUAGES[norm]
    if kind == "timezone":
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadValue("config.bad.timezone", value=text) from None
        return text
    if kind == "thresholds":
        parts = [
            p.strip().rstrip("%") for p in norm.replace(";", ",").replace(" e ", ",").split(",")
        ]
        try:
            values = sorted({int(p) for p in parts if p})
        except ValueError:
            raise BadValue("config.bad.thresholds", value=text) from None
        if not values or any(not 1 <= v <= 200 for v in values):
            raise BadValue("config.bad.thresholds", value=text)
        return values
    if kind == "variant":
        variants = available_variants()
        if norm not in variants:
            raise BadValue("config.bad.choice", value=text, choices=", ".join(variants))
        return norm
    if kind == "formats":
        chosen = [f.strip() for f in norm.replace(";", ",").split(",") if f.strip()]
        unknown = [f for f in chosen if f not in FORMATS]
        if unknown:
            raise BadValue(
                "config.bad.choice", value=", ".join(unknown), choices=", ".join(FORMATS)
            )
        return chosen
    if kind == "url":
        if not text.startswith(("http://", "https://")) or " " in text:
            raise BadValue("config.bad.url", value=text)
        return text
    if kind == "digits":
        if not text.isdigit():
            raise BadValue("config.bad.number", value=text)
        return text
    return text[:500]


_TOKEN_WORDS = re.compile(r"\b(?:tokens?|por dia|ao dia|/dia|a day|per day|daily|diarios?)\b")
_USD_WORDS = re.compile(r"us\$|\$|\b(?:usd|dolares|dollars?|por dia|ao dia|/dia|a day|per day)\b")


def _llm_budget(kind: str, norm: str, text: str, language: str) -> int | Decimal:
    """``200000 tokens``, ``200.000``, ``200 mil``, ``200k`` / ``US$ 5``, ``5 dólares``."""
    if kind == "usd":
        amount = parse_amount(" ".join(_USD_WORDS.sub(" ", norm).split()), language)
        if amount is None or amount <= 0:
            raise BadValue("config.bad.number", value=text)
        return amount
    bare = " ".join(_TOKEN_WORDS.sub(" ", norm).split())
    for suffix, factor in (("mil", 1000), ("k", 1000), ("m", 1_000_000)):
        if bare.endswith(suffix) and bare[: -len(suffix)].strip():
            amount = parse_amount(bare[: -len(suffix)].strip(), language)  # "1,5 mil", "1.5m"
            if amount is None or amount <= 0 or (amount * factor) % 1:
                raise BadValue("config.bad.number", value=text)
            return int(amount * factor)
    digits = bare.replace(".", "").replace(",", "").replace(" ", "").replace("_", "")
    if not digits.isdigit() or int(digits) < 1:
        raise BadValue("config.bad.number", value=text)
    return int(digits)


# --- storing and showing ---------------------------------------------------------------------------


def apply(prefs: WorkspaceSettings, item: Field, value: Any) -> None:
    group, _, name = item.key.partition(".")
    if group == "platform_limits" and name:
        set_platform_limit(prefs, name, value)
        return
    if group in ("profile", "policy") and name:
        data = dict(getattr(prefs, group) or {})
        if value is None:
            data.pop(name, None)
        else:
            data[name] = str(value) if isinstance(value, Decimal) else value
        setattr(prefs, group, data)  # a new dict, so the JSON column is saved
        return
    setattr(prefs, item.key, value)


def current(prefs: WorkspaceSettings, item: Field) -> Any:
    group, _, name = item.key.partition(".")
    if group == "platform_limits" and name:
        return platform_limit(prefs, name)
    if group in ("profile", "policy") and name:
        return (getattr(prefs, group) or {}).get(name)
    return getattr(prefs, item.key)


def show(prefs: WorkspaceSettings, item: Field, locale: Locale) -> str:
    """The stored value in the reader's words ("R$ 45,00", "2,50%", "3,50x", "—")."""
    value = current(prefs, item)
    if value is None or value == "" or value == []:
        if item.key == "gross_margin" and prefs.target_roas:
            return locale.t("config.margin_unset", roas=locale.ratio(Decimal(prefs.target_roas)))
        return "—"
    kind = item.kind.removeprefix("policy:")
    try:
        if kind == "money":
            if item.key.startswith("policy."):
                return locale.money(
                    major_to_whole_minor(Decimal(str(value)), prefs.currency), prefs.currency
                )
            return locale.money(Decimal(value), prefs.currency)
        if kind == "percent":
            return locale.percent(Decimal(value))
        if kind == "margin":
            margin = Decimal(value)
            return locale.t(
                "config.margin_shown",
                margin=locale.percent(margin),
                break_even=locale.ratio(Decimal(100) / margin),
            )
        if kind == "autonomy":
            return locale.t(f"config.autonomy.{value}")
        if kind == "tokens":
            return f"{locale.number(int(value))} tokens"
        if kind == "usd":
            return "US$ " + locale.number(Decimal(value), 2)
        if kind == "decimal":
            return (
                locale.ratio(Decimal(value))
                if item.key == "target_roas"
                else locale.number(Decimal(value), 2)
            )
        if kind == "hour":
            return f"{int(value)}h"
        if kind == "bool":
            return locale.t("config.yes") if value else locale.t("config.no")
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if kind == "thresholds":
        return ", ".join(f"{v}%" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def label(item: Field, locale: Locale) -> str:
    text = locale.t(f"config.field.{item.key}")
    return item.key if text == f"config.field.{item.key}" else text


def overview(
    prefs: WorkspaceSettings, locale: Locale, *, with_policy: bool = False
) -> list[tuple[str, str, str]]:
    """(key, label, shown value) of every field; policy overrides only where set."""
    rows = []
    for item in fields():
        if item.key.startswith("policy.") and (not with_policy and current(prefs, item) is None):
            continue
        if item.key.startswith("platform_limits.") and current(prefs, item) is None:
            continue  # a platform's own limit is shown once set
        rows.append((item.key, label(item, locale), show(prefs, item, locale)))
    return rows
