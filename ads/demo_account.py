"""The sandbox's fixed demo ad account, as the rest of the product names it.

Apart from ``ads/sandbox/`` so that seeding a workspace with it (``mediabrain/bootstrap.py``)
does not load the sandbox server.
"""

from __future__ import annotations

#: The demo ad account's id, documented in the README.
DEMO_ACCOUNT_ID = "act_1000000001"
DEMO_ACCOUNT_NAME = "Loja Aurora (demo)"

#: The Google Ads demo customer (ten digits; shown as 813-555-0101), beside Meta's.
GOOGLE_DEMO_CUSTOMER_ID = "8135550101"
GOOGLE_DEMO_NAME = "Loja Aurora Google (demo)"
