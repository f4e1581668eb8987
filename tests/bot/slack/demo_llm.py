"""A scripted LLM for the Slack demo: the crew runs for real, so its progress shows in Slack.

It is the OpenAI-compatible fake the crew's tests use (tests/crews), slowed a
little so each agent and tool step is visible as the status message is edited.

    python -m tests.bot.slack.demo_llm        # prints the three MEDIABRAIN_LLM_* settings to use
"""

from __future__ import annotations

import argparse
import time

from tests.crews.fake_llm import FakeLLM
from tests.crews.script import CrewScript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bot.slack.demo_llm", description=__doc__)
    parser.add_argument("--delay", type=float, default=0.8, help="seconds per completion")
    args = parser.parse_args(argv)
    fake = FakeLLM(CrewScript(), delay=lambda body: args.delay).start()
    print("scripted LLM ready; start mediabrain with:", flush=True)
    print(
        f"  export MEDIABRAIN_LLM_MODEL=openai/scripted-demo MEDIABRAIN_LLM_BASE_URL={fake.url} "
        "MEDIABRAIN_LLM_API_KEY=demo",
        flush=True,
    )
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
