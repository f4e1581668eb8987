from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mediabrain.logs import RedactSecrets, secret_values
from vocabulary.settings import Settings


def test_defaults_are_the_embedded_pt_br_setup(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.language == "pt-BR"
    assert settings.timezone == "America/Sao_Paulo"
    assert settings.redis_url is None and settings.embedded
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'mediabrain.sqlite3'}"
    assert settings.meta_graph_url == "https://graph.facebook.com"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.use_sandbox  # no Meta token: the sandbox stands in


def test_reads_prefixed_environment_and_conventional_slack_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIABRAIN_LANGUAGE", "en")
    monkeypatch.setenv("MEDIABRAIN_REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-conventional-name")
    monkeypatch.setenv("MEDIABRAIN_SLACK_SIGNING_SECRET", "signing-secret-value")
    settings = Settings(data_dir=tmp_path)
    assert settings.language == "en"
    assert settings.redis_url == "redis://127.0.0.1:6379/3"
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-conventional-name"
    assert settings.slack_enabled


def test_secrets_never_show_in_repr(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, meta_access_token="EAAsecret123456", llm_api_key="sk-abcdef"
    )
    text = repr(settings) + str(settings) + str(settings.model_dump())
    assert "EAAsecret123456" not in text
    assert "sk-abcdef" not in text


def test_log_filter_scrubs_configured_secrets_and_token_shapes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, whatsapp_token="wa-token-123456")
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(secret_values(settings)))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("calling %s with access_token=%s", "https://x/?a=1", "EAAB" + "x" * 30)
        logger.info("token is %s", "wa-token-123456")
        logger.info("slack %s", "xoxb-1234-5678-abcdef")
    text = caplog.text
    assert "EAAB" + "x" * 30 not in text
    assert "wa-token-123456" not in text
    assert "xoxb-1234-5678-abcdef" not in text
    assert text.count("***") == 3


def test_fernet_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).fernet_key
    second = Settings(data_dir=tmp_path).fernet_key
    assert first == second
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
