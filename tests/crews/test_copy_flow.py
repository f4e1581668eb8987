"""Flow "write copy": Meta's limits enforced by the typed guardrail, language and tone from settings."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from crews.models import DESCRIPTION_MAX, HEADLINE_MAX, PRIMARY_TEXT_MAX
from storage.models import CrewRun, LlmUsage, WorkspaceSettings
from tests.crews.fake_llm import FakeLLM
from tests.crews.script import CrewScript
from tests.support.console import say_accepted
from vocabulary.inbound import Channel


def the_run(rt: Any) -> CrewRun:
    with rt.db.session() as session:
        return session.scalars(select(CrewRun)).one()


@pytest.mark.parametrize("script", [CrewScript(copy_too_long_first=True)])
def test_copy_over_the_limits_is_sent_back_and_rewritten(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    say_accepted(crew_rt, "escreva copy para a Black Friday da loja, 3 variações")
    run = the_run(crew_rt)
    assert (run.flow, run.status, run.params) == ("copy", "done", {"count": 3})
    copy_calls = [c for c in fake_llm.calls if c.task == "write_copy"]
    assert len(copy_calls) == 2  # the first answer failed validation, the second passed
    retry = copy_calls[1].text()
    assert "did not validate" in retry
    assert "variations.0.headline: is 56 characters, the limit is 40" in retry
    assert "TASK write_copy. Write exactly 3 ad copy variations" in copy_calls[0].text()
    variations = run.result["copies"]["variations"]
    assert all(
        len(v["headline"]) <= HEADLINE_MAX
        and len(v["primary_text"]) <= PRIMARY_TEXT_MAX
        and len(v["description"]) <= DESCRIPTION_MAX
        for v in variations
    )
    reply = crew_rt.sender(Channel.CONSOLE).sent[-1][1]
    assert reply.title == "Variações de copy"
    assert "1. Black Friday: até 50% off (25/40)" in reply.text
    assert "título ≤ 40, texto ≤ 125, descrição ≤ 30" in reply.text


def test_copy_is_written_in_the_workspace_language_and_tone(
    crew_rt: Any, fake_llm: FakeLLM
) -> None:
    with crew_rt.db.session() as session:
        prefs = session.scalars(select(WorkspaceSettings)).one()
        prefs.profile = {"tone": "playful and bold"}
        prefs.language = "en"
    say_accepted(
        crew_rt, "português"
    )  # the reader prefers Portuguese; the ads are for an English audience
    say_accepted(crew_rt, "write copy for our Black Friday sale please")
    call = next(c for c in fake_llm.calls if c.task == "write_copy")
    assert (
        "Write explanations in Brazilian Portuguese (pt-BR) and ad texts in English." in call.text()
    )
    assert "Tone of voice: playful and bold." in call.text()
    assert "Write ad copy in English that converts" in call.system
    reply = crew_rt.sender(Channel.CONSOLE).sent[-1][1]
    assert reply.title == "Variações de copy"


class AlwaysTooLong(CrewScript):
    def _variations(self, messages: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"headline": "x" * 41, "primary_text": "t", "description": "", "angle": ""}]


def test_a_model_that_never_complies_fails_the_run_cleanly(
    make_runtime: Any, sandbox: Any, db_url: str
) -> None:
    """Both backends: the run is marked failed, the user told with a ref, nothing else sent."""
    from tests.recording import RecordingSender

    fake = FakeLLM(AlwaysTooLong()).start()
    try:
        rt = make_runtime(
            sandbox=sandbox,
            database_url=db_url,
            llm_model="openai/scripted-crew",
            llm_base_url=fake.url,
        )
        rt.set_sender(Channel.CONSOLE, sender := RecordingSender())
        say_accepted(rt, "escreva copy para a Black Friday da loja, 1 variação")
    finally:
        fake.stop()
    run = the_run(rt)
    assert run.status == "failed" and run.error_ref
    assert len([c for c in fake.calls if c.task == "write_copy"]) == 3  # first try + 2 retries
    error = sender.sent[-1][1]
    assert error.kind == "error"
    assert error.text == (
        f"Não consegui concluir esse pedido (ref {run.error_ref}). Nada foi alterado nas suas "
        "campanhas; tente de novo em instantes."
    )
    assert sender.updates[-1][1].text == f"⚠️ Não consegui concluir (ref {run.error_ref})"
    with rt.db.session() as session:
        usage = session.scalars(select(LlmUsage)).one()
    assert (usage.prompt_tokens, usage.completion_tokens) == fake.usage()  # failed runs cost too


@pytest.mark.parametrize("script", [CrewScript(copy_duplicates_first=True)])
def test_five_headlines_are_exactly_five_distinct_ones(
    crew_rt: Any, fake_llm: FakeLLM, script: CrewScript
) -> None:
    say_accepted(crew_rt, "escreva 5 headlines para o remarketing")
    run = the_run(crew_rt)
    assert (run.flow, run.status, run.params) == ("copy", "done", {"count": 5})
    copy_calls = [c for c in fake_llm.calls if c.task == "write_copy"]
    assert len(copy_calls) == 2  # two identical headlines came back first: sent back
    retry = copy_calls[1].text()
    assert "write exactly 5 variations (you wrote 2)" in retry
    assert '"Black Friday: até 50% off" repeats' in retry
    headlines = [v["headline"] for v in run.result["copies"]["variations"]]
    assert len(headlines) == 5 and len({h.casefold() for h in headlines}) == 5
    reply = crew_rt.sender(Channel.CONSOLE).sent[-1][1]
    assert all(headline in reply.text for headline in headlines)


def test_copy_for_a_named_campaign_reads_its_ads_and_results_first(
    crew_rt: Any, fake_llm: FakeLLM
) -> None:
    """ "para o remarketing" names "Remarketing 7d - Carrinho Abandonado": the Copywriter's
    prompt carries that campaign's ads (their texts) and their last 14 days' figures."""
    state = crew_rt.sandbox.state
    campaign = next(c for c in state.campaigns.values() if c.name.startswith("Remarketing"))
    ads = [a for a in state.ads.values() if a.campaign_id == campaign.id]
    say_accepted(crew_rt, "escreva 3 headlines para o remarketing")
    prompt = next(c for c in fake_llm.calls if c.task == "write_copy").text()
    assert f'The campaign this request names: "{campaign.name}"' in prompt
    for ad in ads:
        creative = state.creatives[ad.creative_id]
        assert f'"{creative.title}" / "{creative.body}"' in prompt
    assert "impressions, CTR " in prompt
    other = [c for c in fake_llm.calls if c.task == "write_copy"]
    say_accepted(crew_rt, "escreva 3 headlines para o natal")  # no campaign named
    later = [c for c in fake_llm.calls if c.task == "write_copy"][len(other) :]
    assert later and "The campaign this request names" not in later[0].text()
