"""Which ad platform a message names: "relatório google", "report for meta" (pure)."""

from __future__ import annotations

import re

from vocabulary.platforms import PLATFORMS

_WORDS = sorted((w for info in PLATFORMS.values() for w in info.words), key=len, reverse=True)
_NAMED = re.compile(
    r"\s*\b(?:(?:d[oae]s?|n[oa]s?|for|on|of|in)\s+)?(?P<word>"
    + "|".join(re.escape(w) for w in _WORDS)
    + r")\b",
    re.IGNORECASE,
)


def platform_in(text: str) -> tuple[str | None, str]:
    """(the platform named, the text without it), or (None, text)."""
    match = _NAMED.search(text)
    if match is None:
        return None, text
    word = match.group("word").lower()
    name = next(info.name for info in PLATFORMS.values() if word in info.words)
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    return name, re.sub(r"\s+", " ", rest)
