"""The channels' fixtures, for tests of the whole web app (every route at once)."""

from tests.bot.slack.conftest import fake_slack, slack_app, slack_settings  # noqa: F401
from tests.bot.whatsapp.conftest import fake_cloud, wa_runtime  # noqa: F401
