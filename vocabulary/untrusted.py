"""Text nobody vouches for (an agent's reason, a person's words, a platform's name), made inert.

Cards and notices show such text next to lines the bot itself writes ("✅ Aprovado
por …", warnings, buttons). An agent steered by a prompt injection, or anyone who
can name a campaign, could otherwise imitate those lines, ping a whole channel or
plant a link. :func:`inert` makes a string safe on every channel at once, before
any renderer sees it, so Slack, WhatsApp and the console cannot disagree:

- **one line**: every line break, tab and Unicode separator becomes a space, runs
  collapse, and the result is cut at ``limit`` characters (with "…");
- **no markup**: ``* _ ~ `` ` `` (bold, italics, strike, code on Slack and WhatsApp)
  become look-alikes that no renderer formats (``∗ ˍ ∼ ʹ``);
- **no mentions**: ``<`` ``>`` become ``‹ ›`` (Slack's ``<!channel>``, ``<@U…>``,
  ``<http…|…>`` need them) and ``@`` becomes the full-width ``＠`` (``@here``,
  ``@channel``, a WhatsApp ``@5511…``);
- **no links**: ``http``/``https`` become ``hxxp``/``hxxps`` and a dot between two
  words is bracketed (``evil[.]com``, ``wa[.]me``), the convention security teams use
  for defanged links: readable, never clickable (WhatsApp links bare domains);
- **no hidden characters**: control, zero-width and bidirectional formatting
  characters are dropped.

:func:`quotation` adds the label that says whose words these are, in quotes.
"""

from __future__ import annotations

import re
import unicodedata

#: Markup characters and the look-alikes that no channel formats.
_LOOKALIKES = str.maketrans(
    {
        "*": "∗",
        "_": "ˍ",
        "~": "∼",
        "`": "ʹ",
        "<": "‹",
        ">": "›",
        "@": "＠",
        "“": "'",
        "”": "'",
        '"': "'",
    }
)
_SCHEME = re.compile(r"(?i)\bhttp(s?)(?=:|\b)")
#: A dot joining two words (a domain, "wa.me"): digits on both sides (1.000) stay.
_DOMAIN_DOT = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_]{2})|(?<=\d)\.(?=[^\W\d_]{2})")
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cc", "Cf"):  # controls; zero-width and bidi formatting
        return char.isspace()  # line breaks and tabs become spaces below
    return True


def inert(text: str | None, limit: int = 300) -> str:
    """``text`` on one line, without markup, mentions, links or hidden characters."""
    if not text:
        return ""
    cleaned = "".join(c for c in str(text) if _visible(c))
    cleaned = cleaned.translate(_LOOKALIKES)
    cleaned = _SCHEME.sub(lambda m: f"hxxp{m.group(1)}", cleaned)
    cleaned = _DOMAIN_DOT.sub("[.]", cleaned)
    cleaned = _SPACES.sub(" ", cleaned).strip()  # \s covers U+2028/2029 and friends
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def quotation(label: str, text: str | None, limit: int = 300) -> str:
    """``label: “text”``: someone else's words, labelled and quoted, made inert."""
    return f"{label}: “{inert(text, limit)}”"
