"""A/B tests from chat to winner: set-up, daily monitoring, rollout, learnings, fatigue.

The statistics are pure (:mod:`analytics.experiments`); this package does the I/O around
them: it reads the account's history and each variant's delivery through ``rt.ads``,
describes every write as a proposal for the supervisor, stores tests in ``experiments``
and shows their cards. Modules: :mod:`.store` (rows), :mod:`.design` (the power analysis
on the account's own baseline), :mod:`.setup` (a test becomes one paused draft; audience and placement
tests also a Meta split test), :mod:`.placements` (placements named in chat as targeting),
:mod:`.cards` (the test's card), :mod:`.monitor` (the daily job's work, and a card that moves
as soon as one of its proposals is decided), :mod:`.rollout`
(apply the winner, stop a test), :mod:`.learn` (what won, for people and the crew),
:mod:`.fatigue` (tired creatives become a refresh test).
"""
