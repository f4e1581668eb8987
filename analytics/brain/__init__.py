"""The brain: models of how each campaign and ad set responds, and the nightly decisions.

Response curves (``curves``), the attribution-lag nowcast (``nowcast``), evidence
before action (``evidence``), fatigue signals (``fatigue``), the objective
(``objective``: contribution profit and break-even), budget allocation
(``allocation``, ``budgets``) and the nightly plan (``plan``, ``night``,
``decisions``), plus forecasts and simulations for the chat (``forecast``).
Pure functions of data handed in; worker side only (numpy, scipy, statsmodels).
"""
