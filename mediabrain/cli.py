"""The ``mediabrain`` command: one entry point, a subcommand per process or chore."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ads.errors import AdsError
from mediabrain.bootstrap import prepare
from mediabrain.logs import setup_logging
from mediabrain.runtime import build_runtime
from storage.crypto import TokenCipher
from storage.db import Database
from storage.models import AdAccount, Membership, Role, User, Workspace
from storage.money import major_to_whole_minor
from storage.repositories import (
    DEFAULT_WORKSPACE,
    UnknownWorkspace,
    ad_accounts,
    add_user,
    audit,
    audit_entries,
    ensure_workspace,
    get_workspace,
    link_ad_account,
    workspace_settings,
)
from vocabulary.ad_accounts import refresh_details
from vocabulary.i18n import Locale
from vocabulary.queue import JobQueue
from vocabulary.runtime import set_runtime
from vocabulary.settings import ConfigurationError, Settings, load_settings

logger = logging.getLogger("mediabrain")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediabrain", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (console channel)")
    chat.add_argument("--script", type=Path, help="read lines from FILE and print every reply")
    chat.add_argument("--user", help="console user name (default: your login)")
    chat.add_argument("--language", choices=["pt-BR", "en"], help="answer language")

    serve = sub.add_parser("serve", help="the web app: Slack and WhatsApp webhooks, /healthz")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--slack-socket-mode", action="store_true", help="Slack over Socket Mode")

    sub.add_parser("worker", help="RQ worker on queues high, default, low")
    sub.add_parser("scheduler", help="rq-scheduler with the product's periodic jobs")

    sandbox = sub.add_parser("sandbox", help="serve the local Meta Marketing API sandbox")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--seed", type=int, default=None)
    sandbox.add_argument("--state-file", type=Path, default=None)
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command")
    advance = sandbox_sub.add_parser("advance", help="advance a running sandbox's clock")
    advance.add_argument("--url", default="http://127.0.0.1:8765")
    advance.add_argument("--days", type=float, default=0)
    advance.add_argument("--hours", type=float, default=0)

    db = sub.add_parser("db", help="database chores")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")

    users = sub.add_parser("users", help="people and roles")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="link a Slack user or WhatsApp number to a workspace")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--slack", metavar="USER_ID")
    who.add_argument("--whatsapp", metavar="NUMBER")
    add.add_argument(
        "--role", choices=["viewer", "operator", "approver", "admin"], default="viewer"
    )
    add.add_argument("--workspace", default=None, help="workspace slug (default: the default one)")
    add.add_argument("--name", default="")
    add.add_argument("--approval-limit", default=None, help="daily approval authority, e.g. 500.00")
    users_sub.add_parser("list", help="list people and roles")

    accounts = sub.add_parser("accounts", help="ad accounts linked to a workspace")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    link = accounts_sub.add_parser(
        "add", help="link a Meta ad account (checked with Meta; its token stored encrypted)"
    )
    link.add_argument("account_id", help="act_<digits> or just the digits")
    link.add_argument("--workspace", default=None, help="workspace slug (default: the default one)")
    link.add_argument(
        "--token-stdin",
        action="store_true",
        help="read this account's access token from stdin (else MEDIABRAIN_META_ACCESS_TOKEN)",
    )
    listing = accounts_sub.add_parser("list", help="every linked account")
    listing.add_argument("--workspace", default=None)

    workspace = sub.add_parser("workspace", help="see or change a workspace's settings")
    workspace_sub = workspace.add_subparsers(dest="workspace_command", required=True)
    show = workspace_sub.add_parser("show", help="every setting and its value")
    show.add_argument("--workspace", default=None, help="workspace slug (default: the default one)")
    change = workspace_sub.add_parser(
        "set", help="change one setting, e.g. `target_cpa 45` or `profile.industry moda`"
    )
    change.add_argument("key", help="setting key (see `mediabrain workspace show`)")
    change.add_argument("value", nargs="+", help="new value; `none` clears it")
    change.add_argument("--workspace", default=None)

    audit = sub.add_parser("audit", help="show the audit log")
    audit.add_argument("--workspace", default=None)
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--raw", action="store_true", help="one machine-readable line per entry")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {}
    if getattr(args, "language", None):
        overrides["language"] = args.language
    settings = load_settings(**overrides)
    setup_logging(settings, console=args.command == "chat")
    handler = COMMANDS[args.command]
    try:
        return handler(settings, args) or 0
    except UnknownWorkspace as exc:
        print(
            f"unknown workspace {exc.args[0]!r}; workspaces are created by `users add --workspace`",
            file=sys.stderr,
        )
        return 2
    except ConfigurationError as exc:  # said plainly, no traceback
        print(f"mediabrain: {exc}", file=sys.stderr)
        return 2


def _database(settings: Settings):  # type: ignore[no-untyped-def]
    """The database for a CLI chore; the embedded SQLite default is migrated on the way."""
    from storage.migrate import upgrade  # alembic: only when migrating

    db = Database(settings.effective_database_url)
    if db.dialect == "sqlite":
        upgrade(db.url)
    return db


def _runtime(settings: Settings, *, in_process: bool = False):  # type: ignore[no-untyped-def]
    rt = build_runtime(settings)
    if in_process:
        rt.queue = JobQueue(None)
    if (
        settings.use_sandbox
        and settings.meta_graph_url == Settings.model_fields["meta_graph_url"].default
    ):
        rt.start_embedded_sandbox()
    prepare(rt)
    set_runtime(rt)
    return rt


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import ConsoleChat  # the console: the whole core, not for serve

    rt = _runtime(settings, in_process=True)
    try:
        chat = ConsoleChat(rt, user=args.user)
        if args.script:
            with args.script.open(encoding="utf-8") as lines:
                chat.run_script(lines)
        elif not sys.stdin.isatty():
            chat.run_script(sys.stdin)
        else:
            chat.repl()
    finally:
        rt.close()
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from mediabrain.web import serve  # FastAPI and the channels' SDKs: serve only

    return serve(settings, host=args.host, port=args.port, slack_socket_mode=args.slack_socket_mode)


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from mediabrain.worker import run_worker  # RQ: the worker process only

    return run_worker(settings)


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from mediabrain.scheduler import run_scheduler  # rq-scheduler: the scheduler only

    return run_scheduler(settings)


def cmd_sandbox(settings: Settings, args: argparse.Namespace) -> int:
    from ads.sandbox import serve_forever  # the sandbox server: this command only

    if args.sandbox_command == "advance":
        # httpx: only this command talks to a sandbox over HTTP
        import httpx

        hours = args.days * 24 + args.hours
        response = httpx.post(
            f"{args.url}/_sandbox/clock", json={"advance_hours": hours}, timeout=10
        )
        response.raise_for_status()
        print(response.json())
        return 0
    serve_forever(
        args.host,
        args.port,
        seed=args.seed if args.seed is not None else settings.sandbox_seed,
        state_file=args.state_file or settings.sandbox_state_file,
    )
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.migrate import upgrade  # alembic: only when migrating

    upgrade(settings.effective_database_url)
    print("database is up to date")
    return 0


def cmd_users(settings: Settings, args: argparse.Namespace) -> int:
    db = _database(settings)
    with db.session() as session:
        if args.users_command == "list":
            for membership in session.query(Membership).order_by(Membership.id):
                user = session.get(User, membership.user_id)
                workspace = session.get(Workspace, membership.workspace_id)
                ident = user.slack_user_id or user.whatsapp_number or user.console_name
                print(f"{workspace.slug:<16} {membership.role:<9} {ident} {user.name}".rstrip())
            return 0
        workspace = ensure_workspace(session, args.workspace or DEFAULT_WORKSPACE)
        limit = None
        if args.approval_limit:
            currency = workspace_settings(session, workspace.id).currency
            limit = major_to_whole_minor(Decimal(args.approval_limit.replace(",", ".")), currency)
        membership = add_user(
            session,
            workspace,
            role=Role(args.role),
            name=args.name,
            slack_user_id=args.slack,
            whatsapp_number=args.whatsapp,
            approval_limit=limit,
        )
        who = args.slack or args.whatsapp
        print(f"{who}: {membership.role} in workspace {workspace.slug}")
    return 0


def cmd_accounts(settings: Settings, args: argparse.Namespace) -> int:
    rt = _runtime(settings)
    try:
        with rt.db.session() as session:
            slug = args.workspace or DEFAULT_WORKSPACE
            workspace_id = get_workspace(session, slug).id
            if args.accounts_command == "list":
                for account in ad_accounts(session, workspace_id):
                    token = "own token" if account.access_token_encrypted else "shared token"
                    print(
                        f"{account.external_id:<20} {account.currency} {account.timezone:<22} "
                        f"{account.token_status:<8} {token:<12} {account.name}".rstrip()
                    )
                return 0
        external = args.account_id.strip()
        external = external if external.startswith("act_") else f"act_{external}"
        pasted = sys.stdin.readline().strip() if args.token_stdin else None
        if args.token_stdin and not pasted:
            print("no token on stdin", file=sys.stderr)
            return 2
        encrypted = TokenCipher(settings.fernet_key).encrypt(pasted) if pasted else None
        with rt.db.session() as session:
            existing = (
                session.query(AdAccount)
                .filter_by(workspace_id=workspace_id, external_id=external)
                .one_or_none()
            )
            account = link_ad_account(session, workspace_id, external, encrypted_token=encrypted)
            if existing is not None and encrypted is not None:
                account.access_token_encrypted = encrypted  # a new token replaces the old one
                account.token_status = "ok"
            account_pk = account.id
        try:
            details = refresh_details(rt, account_pk)
        except (AdsError, LookupError) as exc:
            with rt.db.session() as session:  # not linked: nothing half-done stays behind
                if existing is None:
                    session.delete(session.get(AdAccount, account_pk))
            print(f"{external}: Meta refused it: {exc}", file=sys.stderr)
            return 2
        print(
            f"{details.external_id}: {details.name} ({details.currency}, {details.timezone}) "
            f"linked to workspace {slug}"
        )
        return 0
    finally:
        rt.close()


def cmd_workspace(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core import workspace_config as config  # the core's settings table

    db = _database(settings)
    with db.session() as session:
        slug = args.workspace or DEFAULT_WORKSPACE
        workspace = (
            ensure_workspace(session, slug)
            if slug == DEFAULT_WORKSPACE
            else get_workspace(session, slug)
        )
        prefs = workspace_settings(session, workspace.id)
        locale = Locale(language=settings.language, timezone=prefs.timezone)
        if args.workspace_command == "show":
            for key, _label, value in config.overview(prefs, locale, with_policy=True):
                print(f"{key:<42} {value}")
            return 0
        field = config.find_field(args.key)
        if field is None:
            print(f"unknown setting {args.key!r}; see `mediabrain workspace show`", file=sys.stderr)
            return 2
        try:
            value = config.parse_value(
                field, " ".join(args.value), language=settings.language, currency=prefs.currency
            )
        except config.BadValue as bad:
            print(locale.t(bad.key, **bad.params), file=sys.stderr)
            return 2
        before = config.show(prefs, field, locale)
        config.apply(prefs, field, value)
        after = config.show(prefs, field, locale)
        audit(
            session,
            workspace.id,
            actor="cli",
            action="settings.changed",
            subject=field.key,
            detail={"field": field.key, "before": before, "after": after},
        )
        print(f"{workspace.slug}: {field.key} = {after} (was {before})")
    return 0


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.audit_history import history_lines  # the core's audit wording

    db = Database(settings.effective_database_url)
    with db.session() as session:
        workspace = get_workspace(session, args.workspace or DEFAULT_WORKSPACE)
        if not args.raw:
            prefs = workspace_settings(session, workspace.id)
            locale = Locale(language=settings.language, timezone=prefs.timezone)
            for line in history_lines(session, workspace.id, locale, limit=args.limit):
                print(line)
            return 0
        for entry in reversed(audit_entries(session, workspace.id, limit=args.limit)):
            detail = " ".join(f"{k}={v}" for k, v in (entry.detail or {}).items())
            print(
                f"{entry.at:%Y-%m-%d %H:%M:%S} {entry.channel or '-':<8} {entry.actor:<20} "
                f"{entry.action:<22} {entry.subject} {detail}".rstrip()
            )
    return 0


COMMANDS = {
    "chat": cmd_chat,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "scheduler": cmd_scheduler,
    "sandbox": cmd_sandbox,
    "db": cmd_db,
    "users": cmd_users,
    "accounts": cmd_accounts,
    "workspace": cmd_workspace,
    "audit": cmd_audit,
}

if __name__ == "__main__":
    raise SystemExit(main())
