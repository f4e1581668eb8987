"""The ``mediabrain`` command: one entry point, a subcommand per process or chore."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ads.errors import AdsError
from bot.core.phone_verify import owner_workspace, start_link
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
    find_user,
    get_workspace,
    link_ad_account,
    normalize_number,
    workspace_settings,
)
from vocabulary.ad_accounts import refresh_details
from vocabulary.errors import SandboxUnreachable, UserFacingError, explain
from vocabulary.i18n import Locale
from vocabulary.platforms import PLATFORMS
from vocabulary.queue import QUEUES, JobQueue
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

    worker = sub.add_parser("worker", help="RQ worker on queues high, default, low, crew")
    worker.add_argument(
        "--queues",
        type=_queue_names,
        default=None,
        help="comma-separated subset, in priority order (e.g. `crew`, `high,default,low`)",
    )
    sub.add_parser("scheduler", help="rq-scheduler with the product's periodic jobs")

    sandbox = sub.add_parser("sandbox", help="serve the local Meta and Google Ads API sandboxes")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--seed", type=int, default=None)
    sandbox.add_argument("--state-file", type=Path, default=None)
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command")
    advance = sandbox_sub.add_parser("advance", help="advance a running sandbox's clock")
    advance.add_argument("--url", default="http://127.0.0.1:8765")
    advance.add_argument("--days", type=float, default=0)
    advance.add_argument("--hours", type=float, default=0)
    incident = sandbox_sub.add_parser(
        "incident", help="inject an incident into a running sandbox (tests the smart alerts)"
    )
    incident.add_argument("--url", default="http://127.0.0.1:8765")
    incident.add_argument("--account", required=True, help="ad account id, e.g. act_100001")
    incident.add_argument(
        "--kind",
        required=True,
        choices=INCIDENT_KINDS,
    )
    incident.add_argument("--at", help="simulated start (ISO 8601); default: the sandbox's now")
    incident.add_argument("--in-hours", type=float, default=0, help="start this far from now")
    incident.add_argument(
        "--hours", type=float, default=None, help="duration; default: until cleared"
    )
    incident.add_argument("--magnitude", type=float, default=None)
    incident.add_argument(
        "--segment", help="segment_surge only: the segment it lifts, e.g. age=35-44"
    )
    incident.add_argument("--clear", action="store_true", help="end the account's incidents now")

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
    remove = users_sub.add_parser(
        "remove", help="take a person out of a workspace (their next message is a stranger's)"
    )
    remove.add_argument("user", help="Slack user id, WhatsApp number or console name")
    remove.add_argument(
        "--workspace", default=None, help="workspace slug (default: the default one)"
    )

    accounts = sub.add_parser("accounts", help="ad accounts linked to a workspace")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    link = accounts_sub.add_parser(
        "add",
        help="link an ad account (checked with its platform; its credentials stored encrypted)",
    )
    link.add_argument(
        "account_id", help="Meta: act_<digits> or the digits; Google Ads: 123-456-7890"
    )
    link.add_argument(
        "--platform", default="meta", choices=sorted(PLATFORMS), help="meta (default) or google"
    )
    link.add_argument("--workspace", default=None, help="workspace slug (default: the default one)")
    link.add_argument(
        "--token-stdin",
        action="store_true",
        help=(
            "read this account's credentials from stdin: Meta, the access token (else "
            "MEDIABRAIN_META_ACCESS_TOKEN); Google Ads, a JSON object with any of "
            "refresh_token, developer_token, client_id, client_secret, login_customer_id "
            "(else the MEDIABRAIN_GOOGLE_ADS_* settings)"
        ),
    )
    listing = accounts_sub.add_parser("list", help="every linked account")
    listing.add_argument("--workspace", default=None)
    unlink = accounts_sub.add_parser(
        "unlink", help="unlink an ad account: its schedules stop, waiting proposals are cancelled"
    )
    unlink.add_argument("account_id", help="Meta act_<digits> (or the digits), Google 123-456-7890")
    unlink.add_argument(
        "--workspace", default=None, help="workspace slug (default: the default one)"
    )

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

    sub.add_parser("status", help="queues, schedules with their next run, last runs, failures")

    audit = sub.add_parser("audit", help="show the audit log")
    audit.add_argument("--workspace", default=None)
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--raw", action="store_true", help="one machine-readable line per entry")
    return parser


def _queue_names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in QUEUES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"queues are {', '.join(QUEUES)}; got {value!r}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {}
    if getattr(args, "language", None):
        overrides["language"] = args.language
    settings = load_settings(**overrides)
    setup_logging(settings, console=args.command == "chat")
    if args.command == "chat":
        # gRPC's C core logs a GOAWAY at info level when the embedded Google sandbox stops
        # at exit; a person at the terminal sees only errors (read when grpc first loads).
        os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
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
    except (UserFacingError, AdsError) as exc:  # one line with the fix, never a traceback
        reply = explain(exc, Locale(language=settings.language, timezone=settings.timezone))
        if reply is None:
            raise
        print(reply.text, file=sys.stderr)
        return 2


def _database(settings: Settings):  # type: ignore[no-untyped-def]
    """The database for a CLI chore; the embedded SQLite default is migrated on the way."""
    from storage.migrate import upgrade  # alembic: only when migrating

    db = Database(settings.effective_database_url)
    if db.dialect == "sqlite":
        upgrade(db.url)
    if settings.redis_url:
        # redis-py: a chore changing members or roles tells the workers' row caches
        from redis import Redis

        db.rows.shared = Redis.from_url(settings.redis_url)
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
        chat = ConsoleChat(rt, user=args.user, language=args.language)
        if args.script:
            try:
                script = args.script.read_bytes().splitlines()
            except OSError as exc:  # missing, a folder, unreadable: one line, not a traceback
                reason = exc.strerror or type(exc).__name__
                print(chat.t("console.no_script", path=args.script, reason=reason), file=sys.stderr)
                return 2
            chat.run_script(script)
        elif not sys.stdin.isatty():
            chat.run_script(sys.stdin.buffer)  # bytes: a Latin-1 line is read, not a crash
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

    return run_worker(settings, queues=args.queues)


def cmd_scheduler(settings: Settings, args: argparse.Namespace) -> int:
    from mediabrain.scheduler import run_scheduler  # rq-scheduler: the scheduler only

    return run_scheduler(settings)


def cmd_sandbox(settings: Settings, args: argparse.Namespace) -> int:
    from mediabrain.sandboxes import serve_sandboxes  # the sandbox servers: this command only

    if args.sandbox_command == "advance":
        # httpx: only this command talks to a sandbox over HTTP
        import httpx

        hours = args.days * 24 + args.hours
        try:
            response = httpx.post(
                f"{args.url}/_sandbox/clock", json={"advance_hours": hours}, timeout=10
            )
            response.raise_for_status()
            moment = datetime.fromisoformat(response.json()["now"])
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            logger.debug("sandbox advance: %s", type(exc).__name__)
            raise SandboxUnreachable(args.url) from exc
        local = moment.astimezone(ZoneInfo(settings.timezone))
        print(f"⏩ sandbox: {local:%Y-%m-%d %H:%M} ({settings.timezone})")
        return 0
    if args.sandbox_command == "incident":
        return _sandbox_incident(args)
    serve_sandboxes(
        args.host,
        args.port,
        seed=args.seed if args.seed is not None else settings.sandbox_seed,
        state_file=args.state_file or settings.sandbox_state_file,
    )
    return 0


#: What ``mediabrain sandbox incident --kind`` accepts (``ads.sandbox.incidents.KINDS``).
INCIDENT_KINDS = (
    "cpm_shock",
    "broken_pixel",
    "disapproval",
    "delivery_stall",
    "conversion_drop",
    "ctr_drop",
    "segment_surge",
)


def _sandbox_incident(args: argparse.Namespace) -> int:
    """``mediabrain sandbox incident``: POST (or DELETE) /_sandbox/incidents on a running sandbox."""
    # httpx: only this command talks to a sandbox over HTTP
    import httpx

    url = f"{args.url}/_sandbox/incidents"
    if args.clear:
        response = httpx.request("DELETE", url, json={"account_id": args.account}, timeout=10)
    else:
        body: dict[str, object] = {"account_id": args.account, "kind": args.kind}
        body.update({"at": args.at} if args.at else {"in_hours": args.in_hours})
        if args.hours is not None:
            body["hours"] = args.hours
        if args.magnitude is not None:
            body["magnitude"] = args.magnitude
        if args.segment:
            body["segment"] = args.segment
        response = httpx.post(url, json=body, timeout=10)
    if response.status_code >= 400:
        message = response.json().get("error", {}).get("message", response.text)
        print(f"sandbox refused: {message}", file=sys.stderr)
        return 2
    print(response.json())
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.migrate import upgrade  # alembic: only when migrating

    upgrade(settings.effective_database_url)
    print("database is up to date")
    return 0


def cmd_users(settings: Settings, args: argparse.Namespace) -> int:
    db = _database(settings)
    if args.users_command == "remove":
        return _remove_user(db, args)
    with db.session() as session:
        if args.users_command == "list":
            for membership in session.query(Membership).order_by(Membership.id):
                user = session.get(User, membership.user_id)
                workspace = session.get(Workspace, membership.workspace_id)
                ident = user.slack_user_id or user.whatsapp_number or user.console_name
                print(f"{workspace.slug:<16} {membership.role:<9} {ident} {user.name}".rstrip())
            return 0
        slug = args.workspace or DEFAULT_WORKSPACE
        if args.whatsapp:
            owner = owner_workspace(session, normalize_number(args.whatsapp))
            if owner is not None and owner.slug != slug:
                print(
                    f"{args.whatsapp}: already linked to workspace {owner.slug}; a number belongs "
                    f"to one workspace at a time (`mediabrain users remove {args.whatsapp} "
                    f"--workspace {owner.slug}` first). Nothing was changed.",
                    file=sys.stderr,
                )
                return 2
        workspace = ensure_workspace(session, slug)
        workspace_id = workspace.id
        limit = None
        if args.approval_limit:
            currency = workspace_settings(session, workspace.id).currency
            limit = major_to_whole_minor(Decimal(args.approval_limit.replace(",", ".")), currency)
        if not args.whatsapp:
            membership = add_user(
                session,
                workspace,
                role=Role(args.role),
                name=args.name,
                slack_user_id=args.slack,
                approval_limit=limit,
            )
            print(f"{args.slack}: {membership.role} in workspace {slug}")
            return 0
    return _link_number(settings, args, workspace_id, slug, limit)


def _link_number(
    settings: Settings,
    args: argparse.Namespace,
    workspace_id: int,
    slug: str,
    limit: Decimal | None,
) -> int:
    """A WhatsApp number is linked when its owner answers the code sent to it (issue 13)."""
    rt = build_runtime(settings)
    set_runtime(rt)
    try:
        result = start_link(
            rt,
            workspace_id,
            args.whatsapp,
            Role(args.role),
            requested_by=None,
            via="cli",
            language=settings.language,
            name=args.name,
            approval_limit=limit,
        )
    finally:
        rt.close()
    number = args.whatsapp
    if result.status == "sent":
        print(
            f"{number}: code sent; linked as {args.role} in workspace {slug} when its owner "
            "answers it from WhatsApp (valid 15 minutes)"
        )
        return 0
    if result.status == "role_changed":
        print(f"{number}: {args.role} in workspace {slug}")
        return 0
    reasons = {
        "elsewhere": "already linked to another workspace",
        "not_configured": "WhatsApp is not configured (MEDIABRAIN_WHATSAPP_PHONE_ID, _TOKEN): "
        "no code can be sent",
        "send_failed": "the code could not be sent (see the log)",
    }
    print(f"{number}: {reasons[result.status]}. Nothing was linked.", file=sys.stderr)
    return 2


def _remove_user(db: Database, args: argparse.Namespace) -> int:
    from supervisor.revocation import remove_member  # revocation: this chore only

    slug = args.workspace or DEFAULT_WORKSPACE
    with db.session() as session:
        workspace = get_workspace(session, slug)
        who = args.user.strip()
        user = find_user(session, slack_user_id=who) or find_user(session, console_name=who)
        digits = normalize_number(who)
        if user is None and digits.isdigit():
            user = find_user(session, whatsapp_number=digits)
        if user is None:
            print(
                f"{who}: no such person (a Slack user id, WhatsApp number or console name)",
                file=sys.stderr,
            )
            return 2
        removed = remove_member(session, workspace.id, user, actor="cli", channel="cli")
        if removed is None:
            print(f"{who}: not a member of workspace {slug}; nothing was changed", file=sys.stderr)
            return 2
    print(f"{who}: removed from workspace {slug} (was {removed.role})")
    return 0


def cmd_accounts(settings: Settings, args: argparse.Namespace) -> int:
    rt = _runtime(settings)
    try:
        with rt.db.session() as session:
            slug = args.workspace or DEFAULT_WORKSPACE
            workspace_id = get_workspace(session, slug).id
            if args.accounts_command == "unlink":
                return _unlink_account(session, workspace_id, slug, args.account_id)
            if args.accounts_command == "list":
                for account in ad_accounts(session, workspace_id):
                    token = "own token" if account.access_token_encrypted else "shared token"
                    print(
                        f"{account.external_id:<20} {account.platform:<7} {account.currency} "
                        f"{account.timezone:<22} {account.token_status:<8} {token:<12} "
                        f"{account.name}".rstrip()
                    )
                return 0
        info = PLATFORMS[args.platform]
        try:
            external = info.parse_account_id(args.account_id)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        pasted = sys.stdin.read().strip() if args.token_stdin else None
        if args.token_stdin and not pasted:
            print("no credentials on stdin", file=sys.stderr)
            return 2
        if pasted and info.name == "google":
            problem = _google_credentials_problem(pasted)
            if problem:
                print(problem, file=sys.stderr)
                return 2
        encrypted = TokenCipher(settings.fernet_key).encrypt(pasted) if pasted else None
        with rt.db.session() as session:
            existing = (
                session.query(AdAccount)
                .filter_by(workspace_id=workspace_id, platform=info.name, external_id=external)
                .one_or_none()
            )
            account = link_ad_account(
                session, workspace_id, external, platform=info.name, encrypted_token=encrypted
            )
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
            shown = info.show_account_id(external)
            print(f"{shown}: {info.label} refused it: {exc}", file=sys.stderr)
            return 2
        print(
            f"{info.show_account_id(details.external_id)}: {details.name} "
            f"({details.currency}, {details.timezone}) "
            f"linked to workspace {slug}"
        )
        return 0
    finally:
        rt.close()


def _google_credentials_problem(pasted: str) -> str | None:
    """What is wrong with Google Ads credentials pasted as JSON (None when usable)."""
    allowed = {
        "refresh_token",
        "developer_token",
        "client_id",
        "client_secret",
        "login_customer_id",
    }
    try:
        values = json.loads(pasted)
    except ValueError:
        return 'Google Ads credentials must be a JSON object, e.g. {"refresh_token": "1//..."}'
    if not isinstance(values, dict) or not values or set(values) - allowed:
        return f"Google Ads credentials: a JSON object with only {', '.join(sorted(allowed))}"
    return None


def _unlink_account(session: Session, workspace_id: int, slug: str, account_id: str) -> int:
    from supervisor.revocation import unlink_account  # revocation: this chore only

    external = account_id.strip()
    wanted = set()
    for info in PLATFORMS.values():  # "act_123", "123", "123-456-7890": whichever platform's
        try:
            wanted.add((info.name, info.parse_account_id(external)))
        except ValueError:
            continue
    account = next(
        (a for a in ad_accounts(session, workspace_id) if (a.platform, a.external_id) in wanted),
        None,
    )
    if account is None:
        print(f"{external}: not linked to workspace {slug}; nothing was changed", file=sys.stderr)
        return 2
    unlinked = unlink_account(session, workspace_id, account, actor="cli", channel="cli")
    print(
        f"{external}: unlinked from workspace {slug}; its schedules stop; "
        f"{len(unlinked.cancelled)} waiting proposal(s) cancelled"
    )
    return 0


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


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 1 when a periodic entry is missing (a restart of Redis without persistence)."""
    from mediabrain.status import collect, render  # the status report: this command only

    redis = None
    if settings.redis_url:
        from redis import Redis  # redis-py: only processes configured with Redis load it

        redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
    status = collect(redis, _database(settings))
    print(render(status))
    return 1 if status.missing else 0


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
    "status": cmd_status,
}

if __name__ == "__main__":
    raise SystemExit(main())
