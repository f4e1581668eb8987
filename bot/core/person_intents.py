"""What a person asks us to remember about them: "meu tom: direto", "my tone: brief",
"o que você lembra de mim?". Pure matchers on normalized text."""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_TONE = re.compile(
    r"^(?:(?:meu|minha|my)\s+)(?:tom|tom de resposta|estilo|tone|style)\s*(?::|=|e|is|para|to)?\s+"
    r"(?P<tone>\S.{0,150})$|^(?:responda|fale|answer|reply|talk)\s+(?:de forma|de um jeito|em tom|"
    r"in a|in an)\s+(?P<tone2>\S.{0,150})$"
)
_RECALL = re.compile(
    r"^(?:o que (?:voce )?(?:lembra|sabe) (?:de|sobre) mim|minhas preferencias|"
    r"what do you (?:remember|know) about me|my preferences)$"
)


def match_tone(text: str, language: str = "pt-BR") -> Args | None:
    match = _TONE.match(text)
    if match is None:
        return None
    tone = (match.group("tone") or match.group("tone2") or "").strip(" .")
    return {"tone": tone} if tone else None


def match_recall(text: str, language: str = "pt-BR") -> Args | None:
    return {} if _RECALL.match(text) else None
