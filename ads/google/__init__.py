"""Google Ads: a connector on the official ``google-ads`` library and its local sandbox.

The connector (:mod:`ads.google.connector`) speaks GAQL over gRPC through
``GoogleAdsClient`` and maps rows onto :mod:`ads.base`; the sandbox
(:mod:`ads.google.sandbox`) serves the same gRPC services on loopback, built from
the library's own generated service definitions, over the Meta sandbox's
performance model and simulated clock.
"""
