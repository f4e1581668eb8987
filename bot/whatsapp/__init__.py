"""The WhatsApp channel (pywa): webhook in, WhatsApp-shaped replies out.

``web`` mounts the webhook, ``handlers`` translate pywa updates into
``Inbound`` events, ``sender`` renders replies (``render``) within the 24-hour
window rules (``window``) at a pace WhatsApp accepts (``pacing``), and
``status`` keeps delivery states.
"""
