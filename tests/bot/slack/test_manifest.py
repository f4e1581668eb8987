"""The app manifest a user pastes into api.slack.com matches what the code serves and asks for."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.oauth import BOT_SCOPES, REDIRECT_PATH
from bot.slack.web import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "slack_manifest.yaml"


def test_the_manifest_matches_the_app() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/ads"
    for url in (
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ):
        assert url.endswith(EVENTS_PATH)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_uninstalled",  # revoke the team's installation and pushes (issue 13)
        "tokens_revoked",
    }
    assert manifest["settings"]["token_rotation_enabled"] is False  # stored tokens don't rotate
