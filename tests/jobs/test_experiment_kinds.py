"""Every kind of test from chat: creatives by number, audiences, English, and clear errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Experiment


def experiment(world: Any, number: int = 1) -> Experiment:
    with world.rt.db.session(world.ws1) as session:
        row = session.scalar(select(Experiment).where(Experiment.number == number))
        assert row is not None
        session.expunge(row)
        return row


def test_creatives_by_number_copy_each_ads_text_into_its_own_ad_set(make_world: Any) -> None:
    world = make_world()
    replies = world.say("teste A/B dos anúncios 3 e 5")
    card = next(r for r in replies if r.kind == "approval")
    row = experiment(world)
    assert row.kind == "creative" and row.metric == "ctr"
    names = [v["name"] for v in row.variants]
    assert f"Variações — A: '{names[0]}'; B: '{names[1]}'." in card.text
    state = world.sandbox.state
    sources = [state.ads[v["source_ad"]] for v in row.variants]
    assert [s.name for s in sources] == names
    made = [state.creatives[state.ads[v["ad_id"]].creative_id] for v in row.variants]
    originals = [state.creatives[s.creative_id] for s in sources]
    assert [(m.title, m.body) for m in made] == [(o.title, o.body) for o in originals]
    assert "A conta tem" in world.say("teste A/B dos anúncios 3 e 99")[-1].text


def test_an_audience_test_puts_each_audience_in_its_own_ad_set(make_world: Any) -> None:
    world = make_world()
    replies = world.say("teste de público: lookalike 1% vs interesses")
    card = next(r for r in replies if r.kind == "approval")
    assert "Métrica principal: CPA." in card.text
    row = experiment(world)
    state = world.sandbox.state
    lookalike, interests = (state.adsets[v["adset_id"]] for v in row.variants)
    assert "Lookalike" in lookalike.targeting["custom_audiences"][0]["name"]
    assert interests.targeting["flexible_spec"][0]["interests"][0]["name"] == "Moda feminina"
    ads = [state.ads[v["ad_id"]] for v in row.variants]
    assert ads[0].truth.cvr / ads[1].truth.cvr > 1.19  # the sandbox's known lookalike effect
    assert (
        "Não encontrei o público “vizinhos”"
        in world.say("teste de público: vizinhos vs interesses")[-1].text
    )


def test_english_copy_test_and_a_campaign_asked_back(make_world: Any) -> None:
    world = make_world()
    world.say("english")
    replies = world.say('A/B test on remarketing: "Free shipping today" vs "Only until Sunday"')
    card = next(r for r in replies if r.kind == "approval")
    assert "Variants — A: 'Free shipping today'; B: 'Only until Sunday'." in card.text
    assert "Primary metric: CTR." in card.text and "Minimum detectable effect: +" in card.text
    assert replies[-1].title == "🧪 Test #1 · copy · Remarketing 7d - Carrinho Abandonado"
    asked = world.say('a/b test on prospecção: "A" vs "B"')[-1]
    assert asked.buttons, "two campaigns match: the bot asks which"
    assert "I found no recent copy variations" in world.say("test these 3 variations")[-1].text
