"""Statistics of A/B experiments: design (power), Bayesian results, always-valid p-values,
the daily verdict and its wording.

Pure functions of counts handed in (numpy/scipy/statsmodels only); fetching, cards and jobs
live elsewhere. Modules: :mod:`.counts` (metrics and cumulative counts), :mod:`.design`
(minimum detectable effect and duration), :mod:`.bayes` (probability to be best, expected
loss, lift with a credible interval), :mod:`.sequential` (mSPRT always-valid p-values, Holm),
:mod:`.verdict` (RUNNING / WINNER / INCONCLUSIVE / STOPPED_GUARDRAIL) and :mod:`.wording`
(pt-BR and English result lines).
"""
