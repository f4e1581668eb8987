"""A disapproval injected in the sandbox at a simulated time reaches Slack within the hour, naming
the ads (issue 17). The ads' statuses are read at the simulated hour, not from a cache filled
hours of simulated time earlier (the read cache follows the sandbox clock)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

DEMO = "act_1000000001"


def test_a_disapproval_is_alerted_within_the_hour_naming_the_ads(make_pushed: Any) -> None:
    pushed = make_pushed(channel="C0POLICY", number="5511955554444")
    pushed.hourly(4 * 24)  # history; the ads' list is read (and cached) every hour
    assert not pushed.posts()
    onset = pushed.sandbox.now() + timedelta(minutes=20)
    pushed.sandbox.inject_incident(DEMO, "disapproval", at=onset, hours=3, magnitude=0.25)
    pushed.hourly(1)  # the first run after the onset

    [alert] = pushed.posts()
    text = alert.params["text"]
    assert "⚠️ anúncios reprovados · Loja Aurora (demo)" in text
    assert "6 anúncios reprovados desde" in text and "/dia em jogo" in text
    assert "Reprovados: “" in text and "e mais 1" in text  # five named, the sixth counted
    assert "Revise os anúncios afetados no Gerenciador de Anúncios." in text
    blocks = str(alert.params.get("blocks"))
    assert "anúncios reprovados" in blocks  # the Slack card itself, not only the fallback text
    [template] = pushed.templates()  # WhatsApp, window closed: the alert template
    assert "anúncios reprovados" in template["components"][0]["parameters"][0]["text"]

    pushed.hourly(5)  # approved again after 3 hours: the same message says it is over
    assert len(pushed.posts()) == 1
    [edit] = pushed.slack.calls_to("chat.update")
    assert "Resolvido: anúncios reprovados" in edit.params["text"]
