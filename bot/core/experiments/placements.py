"""Placements as people name them ("feed", "stories", "reels", "instagram"), as Meta targeting.

Meta's ad set targeting chooses placements with ``publisher_platforms`` and the
per-platform ``facebook_positions`` / ``instagram_positions`` lists (Marketing API,
"Placement targeting"). A placement test keeps everything else of the source ad set's
targeting and swaps only these keys.
"""

from __future__ import annotations

from typing import Any

PLACEMENT_KEYS = (
    "publisher_platforms",
    "facebook_positions",
    "instagram_positions",
    "messenger_positions",
    "audience_network_positions",
    "device_platforms",
)

#: Words (normalized: lower case, no accents) → targeting keys.
_PLACEMENTS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (
        ("stories", "story", "storys"),
        {
            "publisher_platforms": ["facebook", "instagram"],
            "facebook_positions": ["story"],
            "instagram_positions": ["story"],
        },
    ),
    (
        ("reels", "reel"),
        {
            "publisher_platforms": ["facebook", "instagram"],
            "facebook_positions": ["facebook_reels"],
            "instagram_positions": ["reels"],
        },
    ),
    (
        ("feed", "feeds"),
        {
            "publisher_platforms": ["facebook", "instagram"],
            "facebook_positions": ["feed"],
            "instagram_positions": ["stream"],
        },
    ),
    (("audience network", "rede de audiencia"), {"publisher_platforms": ["audience_network"]}),
    (("messenger",), {"publisher_platforms": ["messenger"]}),
    (("instagram", "insta", "ig"), {"publisher_platforms": ["instagram"]}),
    (("facebook", "fb"), {"publisher_platforms": ["facebook"]}),
    (
        ("automatico", "automaticos", "advantage", "automatic", "todos", "all"),
        {},
    ),
)


def placement_spec(option: str) -> dict[str, Any] | None:
    """The targeting keys for a placement named in chat (None: not a placement I know).

    The first word that names a position wins: "stories do instagram" is the stories
    position on both apps' list narrowed by nothing else (kept simple on purpose).
    """
    text = f" {option.lower().strip()} "
    for words, spec in _PLACEMENTS:
        if any(f" {word} " in text for word in words):
            return {k: list(v) for k, v in spec.items()}
    return None


def without_placements(targeting: dict[str, Any]) -> dict[str, Any]:
    """The targeting with its placement choice removed (automatic placements)."""
    return {k: v for k, v in targeting.items() if k not in PLACEMENT_KEYS}
