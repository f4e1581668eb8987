"""Inbound text made storable: what a platform delivers is not always what a database accepts.

PostgreSQL refuses NUL characters in text (and ``\\u0000`` in JSON), and a JSON
body may carry lone surrogates (``"\\ud800"``) that no UTF-8 encoder accepts: one
such character used to fail a whole turn with a database error. Every string of
an :class:`~vocabulary.inbound.Inbound` passes through :func:`storable` when it
is built, so all channels are covered before anything is stored.
"""

from __future__ import annotations

import re

#: C0 controls (NUL included) except tab, line feed and carriage return, and DEL.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A surrogate code point left alone in a str is invalid UTF-8 (pairs are already joined).
_SURROGATES = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    """``text`` without control characters, lone surrogates replaced by U+FFFD."""
    return _SURROGATES.sub(REPLACEMENT, _CONTROLS.sub("", text))
