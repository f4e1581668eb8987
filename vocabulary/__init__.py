"""The shared vocabulary: the words every layer above the ads layer speaks.

Inbound events and replies, destinations and the outbox, channel capabilities,
the message catalog and locale formatting, money and text parsing, user-facing
errors, and the small ports a process provides (settings, runtime, job queue,
notifications). Nothing here knows Slack, WhatsApp, CrewAI or a job function.
"""
