"""The crew: CrewAI role agents and flows that plan, write and analyse campaigns.

Only worker code imports :mod:`crewai` (through :func:`crews.offline.load_crewai`);
:mod:`crews.entry`, :mod:`crews.actions` and :mod:`crews.intents` stay importable
from the core router without it.
"""
