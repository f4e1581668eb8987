"""Smart alerts: anomaly and opportunity detection on intra-day data, pure functions.

``series`` (hourly input, lag CDF) → ``baseline`` (expected values from the
account's own history) → ``scores`` (robust deviation tests) → ``detectors``
and ``opportunities`` (findings) → ``incidents`` (one alert per incident,
per-chat routing) ↔ ``codec`` (the lifecycle state as JSON between runs).
``personas`` clusters breakdown segments into named audiences;
``simulation`` makes seeded synthetic accounts for the tests and the bench.
"""
