"""What an HTTP request must be before Bolt sees it: signed, recent, readable.

Bolt parses the body and reads the timestamp before it checks the signature,
so a non-numeric ``X-Slack-Request-Timestamp`` or a body that is not JSON,
form data or UTF-8 used to end in a 500. Here the cheap checks come first, in
the order an attacker cannot skip: the timestamp is a number, the signature
matches (5-minute window), then the body parses. Anything else is answered
401 (not from Slack) or 400 (from Slack but unreadable), never 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

logger = logging.getLogger(__name__)

UNAUTHORIZED = 401
BAD_REQUEST = 400


def refusal(headers: Mapping[str, str], body: bytes, signing_secret: str) -> int | None:
    """The status to answer instead of dispatching to Bolt, or None when the request is fine."""
    timestamp = (headers.get("x-slack-request-timestamp") or "").strip()
    signature = headers.get("x-slack-signature") or ""
    if not (timestamp.isascii() and timestamp.isdigit() and signature):
        logger.info("slack: request without a valid timestamp or signature refused")
        return UNAUTHORIZED
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        logger.info("slack: request body is not UTF-8, refused")
        return BAD_REQUEST
    if not SignatureVerifier(signing_secret).is_valid(text, timestamp, signature):
        logger.info("slack: forged or stale signature refused")
        return UNAUTHORIZED
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        parsed = parse_body(text, content_type)
    except ValueError:  # json.JSONDecodeError included
        logger.warning("slack: signed request with an unparsable body refused")
        return BAD_REQUEST
    if not isinstance(parsed, dict):
        logger.warning("slack: signed request whose body is not an object refused")
        return BAD_REQUEST
    return None
