"""Play a Slack user against a running ``mediabrain serve``, with the fake Slack as slack.com.

Every request is signed with the signing secret exactly as Slack signs it;
answers show up in the terminal running ``python -m tests.bot.slack.fake_slack``.

    python -m tests.bot.slack.demo command "/ads report last 7 days"
    python -m tests.bot.slack.demo mention "como estão as campanhas?"
    python -m tests.bot.slack.demo dm "relatório de ontem"
    python -m tests.bot.slack.demo click 1        # the 1st button of the latest card

Options (before the subcommand): --app URL of mediabrain serve (default
http://127.0.0.1:8000), --slack URL of the fake Slack (default
http://127.0.0.1:3001), --user Slack user id (default U0DEMO), --secret
(default: $MEDIABRAIN_SLACK_SIGNING_SECRET or $SLACK_SIGNING_SECRET).
"""

from __future__ import annotations

import argparse
import os
import sys

import httpx

from tests.bot.slack import payloads


def post(app: str, payload: tuple[str, str], secret: str) -> None:
    body, content_type = payload
    headers = payloads.signed_headers(secret, body, content_type=content_type)
    response = httpx.post(
        f"{app.rstrip('/')}/slack/events", content=body, headers=headers, timeout=10
    )
    print(f"← {response.status_code} {response.text}".rstrip())


def latest_card(slack: str) -> dict:  # type: ignore[type-arg]
    messages = httpx.get(f"{slack.rstrip('/')}/_fake/messages", timeout=5).json()["messages"]
    for message in reversed(messages):
        if payloads.buttons(message) and not str(message.get("channel", "")).startswith(
            "response:"
        ):
            return message
    raise SystemExit("no message with buttons yet: ask for something that has them first")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bot.slack.demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--app", default="http://127.0.0.1:8000")
    parser.add_argument("--slack", default="http://127.0.0.1:3001")
    parser.add_argument("--user", default="U0DEMO")
    parser.add_argument("--name", default="demo", help="the Slack user's display name")
    parser.add_argument("--channel", default=payloads.CHANNEL_ID)
    parser.add_argument(
        "--secret",
        default=os.environ.get("MEDIABRAIN_SLACK_SIGNING_SECRET")
        or os.environ.get("SLACK_SIGNING_SECRET"),
    )
    sub = parser.add_subparsers(dest="what", required=True)
    command = sub.add_parser("command", help='a slash command, e.g. "/ads report"')
    command.add_argument("text")
    mention = sub.add_parser("mention", help="@mediabrain in the channel")
    mention.add_argument("text")
    dm = sub.add_parser("dm", help="a direct message to the bot")
    dm.add_argument("text")
    click = sub.add_parser("click", help="press a button of the latest card")
    click.add_argument("button", nargs="?", default="1", help="its number (1 = first) or action id")
    reason = sub.add_parser("reason", help="answer the latest modal (why a request was rejected)")
    reason.add_argument("text")
    args = parser.parse_args(argv)
    if not args.secret:
        parser.error("set MEDIABRAIN_SLACK_SIGNING_SECRET (the same value mediabrain serve uses)")
    slack = args.slack.rstrip("/") + "/"
    response_url = f"{slack}response/demo"
    if args.what == "command":
        name, _, text = args.text.strip().partition(" ")
        if not name.startswith("/"):
            name, text = "/ads", args.text
        payload = payloads.slash_command(
            text,
            command=name,
            response_url=response_url,
            user_id=args.user,
            channel_id=args.channel,
        )
    elif args.what == "mention":
        payload = payloads.app_mention(args.text, user_id=args.user, channel_id=args.channel)
    elif args.what == "reason":
        views = httpx.get(f"{slack}_fake/views", timeout=5).json()["views"]
        if not views:
            raise SystemExit("no modal was opened yet: press Reject on a card first")
        payload = payloads.view_submission(
            views[-1],
            {"reason": {"text": {"type": "plain_text_input", "value": args.text}}},
            user_id=args.user,
            user_name=args.name,
        )
    elif args.what == "dm":
        payload = payloads.direct_message(
            args.text, user_id=args.user, channel_id=f"D{args.user[1:]}"
        )
    else:
        message = latest_card(slack)
        buttons = payloads.buttons(message)
        chosen = (
            buttons[int(args.button) - 1]
            if args.button.isdigit() and 0 < int(args.button) <= len(buttons)
            else next((b for b in buttons if b["action_id"] == args.button), None)
        )
        if chosen is None:
            raise SystemExit(f"no button {args.button!r}; this card has {len(buttons)}")
        if "confirm" in chosen:
            print(f"(Slack would ask first: {chosen['confirm']['text']['text']} → confirming)")
        print(f"→ clicking “{chosen['text']['text']}” on message {message['ts']}")
        payload = payloads.block_action(
            chosen["action_id"],
            chosen.get("value", ""),
            message=message,
            response_url=response_url,
            user_id=args.user,
            user_name=args.name,
        )
    post(args.app, payload, args.secret)
    return 0


if __name__ == "__main__":
    sys.exit(main())
