"""Reading what people type: normalized text and money amounts, pt-BR and English."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

#: What a matcher extracts from a message (``None`` from a matcher: not this intent).
Args = dict[str, Any]


def normalize(text: str) -> str:
    """Lowercase, accents removed, Slack mentions and the /ads prefix dropped, spaces collapsed."""
    text = re.sub(r"<@[A-Z0-9]+>", " ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"^\s*/?ads\b", " ", text)
    text = re.sub(r"[!?¿¡]+", " ", text)
    return " ".join(text.split()).strip(" .")


def as_typed(raw: str, query: str) -> str:
    """``query`` (normalized: lower case, no accents) as the user wrote it in ``raw``."""
    size = len(query)
    for start in range(len(raw) - size + 1):
        if normalize(raw[start : start + size]) == query:
            return raw[start : start + size]
    return query


_AMOUNT = re.compile(r"(?:r\$|\$|brl|usd)?\s*(\d[\d.,]*)\s*(k|mil)?")


def parse_amount(raw: str, language: str = "pt-BR") -> Decimal | None:
    """A typed money amount in major units: ``1.500,50`` (pt-BR), ``1,500.50`` (en), ``2k``."""
    match = _AMOUNT.fullmatch(raw.strip())
    if not match:
        return None
    number, suffix = match.group(1), match.group(2)
    if "," in number and "." in number:
        decimal_sep = "," if number.rfind(",") > number.rfind(".") else "."
    elif "," in number:
        tail = number.rsplit(",", 1)[1]
        decimal_sep = "" if (len(tail) == 3 and language == "en") else ","
    elif "." in number:
        tail = number.rsplit(".", 1)[1]
        decimal_sep = "" if (len(tail) == 3 and language != "en") else "."
    else:
        decimal_sep = ""
    thousands = {",", "."} - {decimal_sep}
    for sep in thousands:
        number = number.replace(sep, "")
    if decimal_sep:
        number = number.replace(decimal_sep, ".")
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if suffix:
        value *= 1000
    return value
