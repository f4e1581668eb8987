"""A Google ad's id is its resource name (``customers/<id>/adGroupAds/<ad group>~<ad>``), past
64 characters: a change to it is recorded and carried out on PostgreSQL as on SQLite (a 64-
character column refused it there, while SQLite, which checks no lengths, let it pass)."""

from __future__ import annotations

from typing import Any

from ads.base import Level
from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from storage.models import Proposal, Role
from storage.repositories import DEFAULT_WORKSPACE, add_user, ensure_workspace, link_ad_account
from supervisor import proposals as P
from supervisor.proposals import Proposer
from supervisor.submit import submit


def test_a_google_ad_pause_is_recorded_and_applied(
    make_runtime: Any, sandbox: Any, db_url: str
) -> None:
    rt = make_runtime(database_url=db_url, sandbox=sandbox, sandbox_google_demo=True)
    with rt.db.session() as session:
        workspace = ensure_workspace(session, DEFAULT_WORKSPACE)
        ana = add_user(session, workspace, role=Role.ADMIN, name="ana", console_name="ana")
        account = link_ad_account(
            session, workspace.id, GOOGLE_DEMO_CUSTOMER_ID, platform="google", name=GOOGLE_DEMO_NAME
        )
        workspace_id, account_pk, user_id = workspace.id, account.id, ana.user_id
    ads = rt.ads(account)
    ad = next(a for a in ads.list_ads(account.external_id) if a.name == "RSA Marca")
    assert len(ad.id) > 64  # the case the old column refused

    proposal = P.pause(
        Level.AD,
        ad.id,
        ad.name,
        current_status=ad.status.value,
        reason="anúncio cansado",
        proposer=Proposer("user", str(user_id)),
    )
    submission = submit(
        rt, workspace_id, account_pk, proposal, channel="console", approve_as=user_id
    )

    with rt.db.session(workspace_id) as session:
        row = session.get(Proposal, submission.proposal_id)
        assert row is not None
        assert (row.target_id, row.state) == (ad.id, "executed")
    assert (
        next(a for a in ads.list_ads(account.external_id) if a.id == ad.id).status.value == "PAUSED"
    )
