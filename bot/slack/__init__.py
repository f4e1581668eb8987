"""The Slack channel: Bolt in HTTP mode inside the web app, Block Kit replies from the worker.

Web side (``web``, ``events``, ``inbound``, ``oauth``): verify, translate to an
:class:`~vocabulary.inbound.Inbound`, ``accept`` and ack in milliseconds. Worker
side (``sender``, ``blocks``): render each :class:`~vocabulary.replies.Reply` as
Block Kit and deliver it with the Web API. Nothing here imports crewai or
matplotlib.
"""
