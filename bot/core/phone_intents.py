"""The WhatsApp channel's own chat command, as a pure matcher (pt-BR and English).

``vincular 5511999999999 operador`` / ``link +55 11 99999-9999 as operator``:
an admin links a phone number to their workspace with a role (viewer when
none is given). Text arrives normalized (lowercase, accents removed).
"""

from __future__ import annotations

import re

from storage.models import Role
from vocabulary.parsing import Args

_LINK = re.compile(
    r"^(?:vincular|vincule|vincula|link|cadastrar|adicionar numero|add number)\s+"
    r"(?:o numero\s+|numero\s+|the number\s+|number\s+|whatsapp\s+)?"
    r"(?P<number>\+?[\d][\d\s().-]*\d)"
    r"(?:\s+(?:como|as|com papel de|com papel|papel|role|with role))?"
    r"(?:\s+(?P<role>[a-z]+))?$"
)

ROLE_WORDS: dict[str, Role] = {
    "leitor": Role.VIEWER,
    "viewer": Role.VIEWER,
    "visualizador": Role.VIEWER,
    "operador": Role.OPERATOR,
    "operator": Role.OPERATOR,
    "aprovador": Role.APPROVER,
    "approver": Role.APPROVER,
    "admin": Role.ADMIN,
    "administrador": Role.ADMIN,
    "administrator": Role.ADMIN,
}

MIN_DIGITS = 8
MAX_DIGITS = 15  # E.164


def match_link(text: str, language: str = "pt-BR") -> Args | None:
    """``{"number": digits or None, "role": Role or None}``; None values mean "invalid, explain"."""
    match = _LINK.match(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group("number"))
    number = digits if MIN_DIGITS <= len(digits) <= MAX_DIGITS else None
    word = match.group("role")
    role = ROLE_WORDS.get(word) if word else Role.VIEWER
    return {"number": number, "role": role}
