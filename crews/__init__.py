"""The crew: CrewAI role agents and flows that plan, write and analyse campaigns.

Only worker code imports :mod:`crewai` (through :func:`crews.offline.load_crewai`);
:mod:`crews.intents` stays importable from the core router without it; the chat
handlers that start a run or act on its result live in ``bot/core/handlers/``.
"""
