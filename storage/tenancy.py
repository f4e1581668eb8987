"""Tenancy in the data layer: a scoped session only ever sees one workspace's rows.

Any SELECT issued through a session scoped with :func:`scope_session` gets
``WHERE workspace_id = :id`` on every tenant-owned entity (via
``with_loader_criteria``), and flushing a row of another workspace fails.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from storage.models import TenantScoped

_KEY = "workspace_id"


class CrossTenantWrite(RuntimeError):
    """A scoped session tried to write a row that belongs to another workspace."""


def scope_session(session: Session, workspace_id: int) -> Session:
    session.info[_KEY] = workspace_id
    return session


def scoped_workspace(session: Session) -> int | None:
    return session.info.get(_KEY)


@event.listens_for(Session, "do_orm_execute")
def _filter_by_workspace(state: ORMExecuteState) -> None:
    workspace_id = state.session.info.get(_KEY)
    if workspace_id is None:
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped,
                lambda cls: cls.workspace_id == workspace_id,
                include_aliases=True,
                track_closure_variables=True,
            )
        )


def check_scope(session: Session, workspace_id: int, what: str) -> None:
    """A row of ``workspace_id`` written outside the ORM's flush (a Core insert): the same
    refusal as :func:`_check_writes` when the session is scoped to another workspace."""
    scoped = session.info.get(_KEY)
    if scoped is not None and workspace_id != scoped:
        raise CrossTenantWrite(
            f"{what} of workspace {workspace_id} written from a session scoped to {scoped}"
        )


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, _context: Any, _instances: Any) -> None:
    workspace_id = session.info.get(_KEY)
    if workspace_id is None:
        return
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, TenantScoped):
            if obj.workspace_id is None:
                obj.workspace_id = workspace_id
            elif obj.workspace_id != workspace_id:
                raise CrossTenantWrite(
                    f"{type(obj).__name__} of workspace {obj.workspace_id} "
                    f"written from a session scoped to {workspace_id}"
                )
