"""The rows a turn reads from its process's cache never outlive a change made elsewhere.

The worker's turns keep the workspace and its settings in a per-process cache
(storage/rowcache.py); here the change is made by another process (the ``mediabrain``
CLI, its own engine, the same PostgreSQL and Redis) between two turns of this one,
whose cache is warm, and the very next turn must see it.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from sqlalchemy import select

from storage.models import Workspace
from tests.support.console import say
from tests.support.workers import ROOT, worker_env
from vocabulary.i18n import translate


def _other_process(rt: Any, *args: str) -> str:
    """A ``mediabrain`` chore (or ``-c`` code) in a process of its own, on this runtime's
    database and Redis."""
    settings = {
        "database_url": rt.settings.database_url,
        "redis_url": rt.settings.redis_url,
        "data_dir": rt.settings.data_dir,
    }
    command = list(args) if args[0] == "-c" else ["-m", "mediabrain.cli", *args]
    done = subprocess.run(
        [sys.executable, *command],
        env=worker_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


#: Another process of the product (its own runtime and engine) makes ana a viewer.
DEMOTE = """
from sqlalchemy import update
from mediabrain.runtime import build_runtime
from storage.models import Membership, User
from vocabulary.settings import Settings

rt = build_runtime(Settings())
with rt.db.session() as session:
    ana = session.query(User).filter_by(console_name="ana").one()
    session.execute(update(Membership).where(Membership.user_id == ana.id).values(role="viewer"))
rt.close()
"""


def test_demoted_member_loses_the_role_on_the_next_turn(make_runtime, pg_url, redis_url):
    rt = make_runtime(database_url=pg_url, redis_url=redis_url)
    say(rt, "ajuda")  # ana arrives: the console's first operator, admin
    assert say(rt, "meta de roas 3")[-1].kind != "error"  # warm: the admin may change settings

    _other_process(rt, "-c", DEMOTE)

    refused = say(rt, "meta de roas 4")[-1]
    assert refused.kind == "error"
    assert translate("role.admin", "pt-BR") in refused.text


def test_workspace_language_changed_elsewhere_answers_in_it_next_turn(
    make_runtime, pg_url, redis_url
):
    rt = make_runtime(database_url=pg_url, redis_url=redis_url)
    before = say(rt, "ajuda")[-1].text
    assert say(rt, "ajuda")[-1].text == before  # the second turn reads the cached rows

    _other_process(rt, "workspace", "set", "language", "en")

    after = say(rt, "help")[-1].text
    assert after != before
    english = say(rt, "help")[-1].text
    assert english == after
    with rt.db.session() as session:  # the change is the database's, not this process's
        slug = session.scalar(select(Workspace.slug))
    assert slug == "default"
