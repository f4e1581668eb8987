"""A local, Graph-faithful Meta Marketing API sandbox.

Why: the product must be demonstrable and testable with no Meta account and no
network. The sandbox speaks the Graph API over HTTP well enough that the
*unmodified* ``facebook-business`` SDK works against it (paging, batch, async
insights, error envelopes, usage headers), and simulates a believable ad
account whose numbers respond to budget and status changes.

Point the SDK at it by overriding the session's ``GRAPH`` base URL::

    from facebook_business.api import FacebookAdsApi
    from facebook_business.session import FacebookSession

    server = start_sandbox(start=datetime(2025, 3, 10, 15, tzinfo=UTC))
    session = FacebookSession(access_token="any-token", timeout=10)
    session.GRAPH = server.url            # instead of https://graph.facebook.com
    api = FacebookAdsApi(session, api_version="v24.0")
    AdAccount(DEMO_ACCOUNT_ID, api=api).get_campaigns(fields=["name"])

(or ``FacebookAdsApi.init(access_token=..., crash_log=False)`` then
``api._session.GRAPH = server.url``; always pass ``crash_log=False``, the SDK's
crash reporter posts to graph.facebook.com).
"""

from ads.sandbox.demo import (
    DEMO_ACCOUNT_ID,
    DEMO_ACCOUNT_NAME,
    SECOND_ACCOUNT_ID,
    SECOND_ACCOUNT_NAME,
    create_demo_accounts,
)
from ads.sandbox.faults import FAULT_KINDS, Fault
from ads.sandbox.figures import Totals
from ads.sandbox.server import SandboxServer, serve_forever, start_sandbox
from ads.sandbox.state import SandboxState
from ads.sandbox.usage import UsageLimits

__all__ = [
    "DEMO_ACCOUNT_ID",
    "DEMO_ACCOUNT_NAME",
    "FAULT_KINDS",
    "SECOND_ACCOUNT_ID",
    "SECOND_ACCOUNT_NAME",
    "Fault",
    "SandboxServer",
    "SandboxState",
    "Totals",
    "UsageLimits",
    "create_demo_accounts",
    "serve_forever",
    "start_sandbox",
]
