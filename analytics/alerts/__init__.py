"""Smart alerts: anomaly and opportunity detection on intra-day data, pure functions.

``series`` (hourly input) → ``baseline`` (expected values from the account's
own history) → ``scores`` (robust deviation tests) → ``detectors`` and
``opportunities`` (findings) → ``incidents`` (one alert per incident, per-chat
routing). ``personas`` clusters breakdown segments into named audiences.
"""
