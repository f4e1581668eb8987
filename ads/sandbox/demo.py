"""Demo data: a believable Brazilian e-commerce ad account with a past.

The product's first impression happens in the sandbox, so the demo account
must contain the situations a media buyer acts on: clear winners (high ROAS),
losers (high CPA), a fatiguing creative (rising frequency, falling CTR), a
budget-limited winner worth scaling, a high-CTR campaign, paused and draft
campaigns, and ~75 days of history including past pauses and budget changes.

Everything is fixed by the specs below (:mod:`ads.sandbox.specs`) plus the
sandbox seed, so two sandboxes with the same seed and start are identical.
``create_demo_accounts`` adds many smaller generated accounts quickly, for
benchmarks and multi-tenant tests. ``populate_demo`` is the seeder that
``start_sandbox`` hands to a fresh :class:`~ads.sandbox.state.SandboxState`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ads.demo_account import DEMO_ACCOUNT_ID, DEMO_ACCOUNT_NAME
from ads.sandbox.demo_google import populate_google_demo
from ads.sandbox.model import lognormal, rng_for
from ads.sandbox.records import ACTIVE, ARCHIVED, PAUSED
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account

if TYPE_CHECKING:
    from ads.sandbox.state import SandboxState


SECOND_ACCOUNT_ID = "act_1000000002"
SECOND_ACCOUNT_NAME = "Aurora Goods US (demo)"
#: Days of history before the sandbox start (the oldest demo campaign's age).
HISTORY_DAYS = 75


def _br(**extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "geo_locations": {"countries": ["BR"]},
        "age_min": 18,
        "age_max": 65,
    }
    spec.update(extra)
    return spec


_RMK = {"custom_audiences": [{"id": "23850000000000001", "name": "Visitantes 7d + Carrinho"}]}
_LAL = {
    "custom_audiences": [{"id": "23850000000000002", "name": "Lookalike (BR, 1%) - Compradores"}]
}
_INTERESTS = {"flexible_spec": [{"interests": [{"id": "6003348604581", "name": "Moda feminina"}]}]}

#: The demo account, "Loja Aurora": fashion and home goods, Sao Paulo.
AURORA: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "Remarketing 7d - Carrinho Abandonado",
        "OUTCOME_SALES",
        age_days=75,
        adsets=(
            AdSetSpec(
                "Visitantes 7d + Carrinho",
                audience=26_000,
                churn=0.25,
                daily_budget=250,
                targeting=_br(**_RMK),
                ads=(
                    AdSpec("Carrossel - Produtos Vistos", "Ainda pensando?", "Os itens do seu carrinho estão te esperando. Frete grátis acima de R$ 199.", 0.021, 0.066, 245, 38, 130, path="/carrinho"),
                    AdSpec("Cupom VOLTE10", "10% OFF para você voltar", "Use o cupom VOLTE10 e finalize sua compra hoje.", 0.018, 0.058, 228, 38, 110, path="/ofertas"),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Prospecção Lookalike 1% Compradores",
        "OUTCOME_SALES",
        age_days=62,
        daily_budget=200,
        events=((14, "daily_budget", 300 * 100),),
        adsets=(
            AdSetSpec(
                "LAL 1% Compradores 180d",
                audience=2_200_000,
                targeting=_br(age_min=21, age_max=55, **_LAL),
                ads=(
                    AdSpec("Vídeo UGC - Provador", "Veste bem, dura muito", "Mais de 50 mil clientes aprovam. Troca grátis em 30 dias.", 0.0135, 0.034, 232, 24, 200, pace=0.998, video=True),
                    AdSpec("Imagem - Mais Vendidos", "Os queridinhos da estação", "Descubra os mais vendidos da Aurora com frete grátis.", 0.0125, 0.031, 226, 24, 180, pace=0.998),
                ),
            ),
            AdSetSpec(
                "LAL 1-3% Engajados Instagram",
                audience=3_600_000,
                targeting=_br(age_min=21, age_max=55, publisher_platforms=["instagram"], **_LAL),
                ads=(
                    AdSpec("Reels - Look do Dia", "Look do dia em 3 peças", "Monte seu look com até 40% OFF.", 0.0142, 0.028, 214, 26, 150, pace=0.998),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Catálogo Dinâmico - DPA Advantage+",
        "OUTCOME_SALES",
        age_days=70,
        daily_budget=220,
        adsets=(
            AdSetSpec(
                "Advantage+ Catálogo Broad",
                audience=8_000_000,
                targeting=_br(),
                optimization_goal="OFFSITE_CONVERSIONS",
                ads=(
                    AdSpec("DPA - Carrossel Catálogo", "{{product.name}}", "{{product.price}} com frete grátis para todo o Brasil.", 0.0162, 0.042, 212, 22, 230, pace=0.95),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Institucional Vídeo - Marca Aurora",
        "OUTCOME_AWARENESS",
        age_days=58,
        adsets=(
            AdSetSpec(
                "Brasil 18-44 Amplo",
                audience=25_000_000,
                daily_budget=150,
                targeting=_br(age_max=44),
                optimization_goal="THRUPLAY",
                ads=(
                    AdSpec("Vídeo Manifesto 15s", "Aurora: feita para durar", "Moda consciente, feita no Brasil.", 0.0045, 0.004, 205, 9, 200, video=True, pace=0.9),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Prospecção Interesses - Moda Feminina",
        "OUTCOME_SALES",
        age_days=48,
        adsets=(
            AdSetSpec(
                "Interesses Moda + Compras Online",
                audience=3_200_000,
                daily_budget=180,
                targeting=_br(age_min=25, age_max=50, genders=[2], **_INTERESTS),
                ads=(
                    AdSpec("Imagem - Nova Coleção", "Nova coleção chegou", "Peças exclusivas com até 30% OFF na primeira compra.", 0.0088, 0.012, 188, 28, 120, pace=0.9),
                    AdSpec("Carrossel - Tendências", "Tendências da estação", "Veja o que está em alta e compre sem sair de casa.", 0.0094, 0.010, 192, 28, 100, pace=0.9),
                ),
            ),
            AdSetSpec(
                "Interesse Marcas Concorrentes",
                audience=1_400_000,
                daily_budget=120,
                targeting=_br(age_min=25, age_max=45, **_INTERESTS),
                ads=(
                    AdSpec("Comparativo - Qualidade", "Qualidade que você sente", "Tecidos premium pelo preço justo.", 0.0081, 0.011, 196, 30, 110, pace=0.88),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Coleção Verão - Carrossel",
        "OUTCOME_SALES",
        age_days=55,
        adsets=(
            AdSetSpec(
                "Mulheres 25-44 Praia & Verão",
                audience=80_000,
                churn=0.004,
                daily_budget=160,
                events=((30, "daily_budget", 200 * 100),),
                targeting=_br(age_min=25, age_max=44, genders=[2]),
                ads=(
                    AdSpec("Carrossel Verão - 5 Looks", "Verão Aurora ☀️", "Biquínis, saídas e vestidos leves. Frete grátis.", 0.026, 0.03, 205, 20, 170, fatigue=0.5, pace=0.93),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Promo Relâmpago - Stories",
        "OUTCOME_SALES",
        age_days=20,
        adsets=(
            AdSetSpec(
                "Stories - Amplo 18-34",
                audience=6_000_000,
                daily_budget=100,
                targeting=_br(age_max=34, publisher_platforms=["instagram", "facebook"]),
                ads=(
                    AdSpec("Stories - Contagem Regressiva", "Só hoje: 40% OFF", "Corre! Promoção relâmpago termina à meia-noite.", 0.031, 0.018, 152, 18, 110, link_share=0.7, pace=0.94),
                    AdSpec("Stories - Depoimento", "Eu amei!", "Veja o que nossas clientes dizem.", 0.024, 0.015, 149, 18, 60, link_share=0.7, pace=0.94),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Black Friday - Conversão",
        "OUTCOME_SALES",
        age_days=74,
        daily_budget=600,
        status=PAUSED,
        events=((40, "daily_budget", 900 * 100), (22, "status", PAUSED)),
        adsets=(
            AdSetSpec(
                "Compradores + LAL 3%",
                audience=4_000_000,
                targeting=_br(**_LAL),
                ads=(
                    AdSpec("BF - Até 60% OFF", "Black Friday Aurora", "Até 60% OFF em todo o site. Só até domingo!", 0.017, 0.035, 260, 34, 320, pace=0.97),
                    AdSpec("BF - Frete Grátis", "Frete grátis na BF", "Frete grátis para todo o Brasil sem valor mínimo.", 0.015, 0.03, 248, 34, 250, pace=0.97),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Dia das Mães - Conversão",
        "OUTCOME_SALES",
        age_days=68,
        status=PAUSED,
        events=((40, "status", PAUSED),),
        adsets=(
            AdSetSpec(
                "Presentes para Mães",
                audience=5_000_000,
                daily_budget=200,
                targeting=_br(age_min=22, age_max=55),
                ads=(
                    AdSpec("Presente Perfeito", "O presente que ela merece", "Kits presente a partir de R$ 149 com embalagem grátis.", 0.014, 0.028, 238, 27, 200, pace=0.95),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Tráfego - Blog de Estilo",
        "OUTCOME_TRAFFIC",
        age_days=40,
        adsets=(
            AdSetSpec(
                "Amplo Brasil - Conteúdo",
                audience=18_000_000,
                daily_budget=60,
                targeting=_br(),
                optimization_goal="LANDING_PAGE_VIEWS",
                ads=(
                    AdSpec("Artigo - Guia de Tamanhos", "Guia completo de tamanhos", "Acerte no tamanho na primeira compra.", 0.019, 0.0028, 180, 14, 60, link_share=0.85, pace=0.9, path="/blog/guia-de-tamanhos"),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Teste Criativos UGC - Abril",
        "OUTCOME_SALES",
        age_days=12,
        adsets=(
            AdSetSpec(
                "Teste Amplo 25-44",
                audience=7_000_000,
                daily_budget=90,
                targeting=_br(age_min=25, age_max=44),
                ads=(
                    AdSpec("UGC - Unboxing Ana", "Abri e me apaixonei", "Unboxing da nova coleção Aurora.", 0.022, 0.031, 221, 25, 60, video=True, pace=0.92),
                    AdSpec("UGC - Antes e Depois", "Antes e depois", "Veja a transformação com peças Aurora.", 0.0105, 0.009, 214, 25, 40, pace=0.92),
                    AdSpec("UGC - Review Sincero", "Minha opinião sincera", "Comprei, usei e conto tudo.", 0.0092, 0.008, 209, 25, 40, pace=0.92),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Advantage+ Shopping - Sempre Ativo",
        "OUTCOME_SALES",
        age_days=75,
        daily_budget=400,
        adsets=(
            AdSetSpec(
                "Advantage+ Audience",
                audience=12_000_000,
                targeting=_br(),
                ads=(
                    AdSpec("ASC - Mix de Produtos", "Aurora: moda e casa", "Frete grátis acima de R$ 199 e troca fácil.", 0.0128, 0.029, 218, 23, 220, pace=0.93),
                    AdSpec("ASC - Coleção Casa", "Casa Aurora", "Cama, mesa e banho com até 35% OFF.", 0.0115, 0.027, 236, 23, 180, pace=0.93),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Natal - Arquivada",
        "OUTCOME_SALES",
        age_days=75,
        status=ARCHIVED,
        events=((60, "status", ARCHIVED),),
        adsets=(
            AdSetSpec(
                "Presentes de Natal",
                audience=6_000_000,
                daily_budget=150,
                targeting=_br(),
                ads=(
                    AdSpec("Natal - Kits", "Kits de Natal", "Presentes a partir de R$ 99.", 0.014, 0.026, 198, 29, 150),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Lançamento Coleção Inverno (rascunho)",
        "OUTCOME_SALES",
        age_days=2,
        status=PAUSED,
        adsets=(
            AdSetSpec(
                "Inverno - Amplo",
                audience=9_000_000,
                daily_budget=200,
                status=PAUSED,
                targeting=_br(),
                ads=(
                    AdSpec("Inverno - Teaser", "Inverno chegando", "A coleção de inverno está quase pronta.", 0.013, 0.025, 260, 25, 200, status=PAUSED),
                ),
            ),
        ),
    ),
)  # fmt: skip

#: A small US account in another currency and timezone, for multi-tenant tests.
AURORA_US: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "Prospecting - Broad US",
        "OUTCOME_SALES",
        age_days=45,
        daily_budget=150,
        adsets=(
            AdSetSpec(
                "Broad 25-54",
                audience=40_000_000,
                targeting={"geo_locations": {"countries": ["US"]}, "age_min": 25, "age_max": 54},
                ads=(
                    AdSpec("Video - Founder Story", "Made to last", "Slow fashion, fair prices.", 0.011, 0.022, 92, 13, 90, video=True),
                    AdSpec("Image - Best Sellers", "Our best sellers", "Free shipping over $75.", 0.0105, 0.02, 88, 13, 70),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Retargeting 14d",
        "OUTCOME_SALES",
        age_days=45,
        adsets=(
            AdSetSpec(
                "Site visitors 14d",
                audience=12_000,
                churn=0.12,
                daily_budget=60,
                targeting={"geo_locations": {"countries": ["US"]}, **_RMK},
                ads=(
                    AdSpec("DPA - Viewed products", "Still thinking?", "Your picks are waiting.", 0.019, 0.055, 95, 21, 60),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Brand Video - Q1",
        "OUTCOME_AWARENESS",
        age_days=40,
        status=PAUSED,
        events=((10, "status", PAUSED),),
        adsets=(
            AdSetSpec(
                "US 18-44",
                audience=60_000_000,
                daily_budget=50,
                targeting={"geo_locations": {"countries": ["US"]}, "age_max": 44},
                optimization_goal="THRUPLAY",
                ads=(
                    AdSpec("Brand film 20s", "Aurora", "Made to last.", 0.004, 0.004, 90, 6, 50, video=True),
                ),
            ),
        ),
    ),
)  # fmt: skip


def populate_demo(state: SandboxState) -> None:
    """Create the two fixed demo accounts with their history (called on a fresh state)."""
    start = state.now()
    aurora = state.add_account(
        DEMO_ACCOUNT_ID,
        name=DEMO_ACCOUNT_NAME,
        currency="BRL",
        timezone="America/Sao_Paulo",
        business_id="900000000000001",
        business_name="Aurora Comércio Digital Ltda",
        created=start - timedelta(days=420),
    )
    build_account(state, aurora, AURORA, start)
    us = state.add_account(
        SECOND_ACCOUNT_ID,
        name=SECOND_ACCOUNT_NAME,
        currency="USD",
        timezone="America/New_York",
        business_id="900000000000002",
        business_name="Aurora Goods Inc.",
        created=start - timedelta(days=200),
    )
    build_account(state, us, AURORA_US, start, store_url="https://aurora-goods.example.com")
    populate_google_demo(state)


def create_demo_accounts(
    state: SandboxState,
    count: int,
    *,
    first_id: int = 2_000_000_001,
    currency: str = "BRL",
    history_days: int = 60,
    platform: str = "meta",
) -> list[str]:
    """Add ``count`` generated accounts (3-6 campaigns each, up to ``history_days`` of history).

    Creating is cheap (~1 ms per account); delivery is simulated lazily, about
    0.2 ms per campaign-day on first read and cached afterwards, so a benchmark
    over many accounts may want a short ``history_days``. Returns the new ids.
    """
    start = state.now()
    created: list[str] = []
    with state.lock:
        for index in range(count):
            numeric = first_id + index
            rng = rng_for(state.seed, "generated-account", numeric)
            account = state.add_account(
                f"act_{numeric}",
                name=f"Loja Demo {index + 1:04d}",
                currency=currency,
                timezone="America/Sao_Paulo" if currency == "BRL" else "America/New_York",
                created=start - timedelta(days=300),
                platform=platform,
            )
            specs = tuple(
                _generated_campaign(rng, i, history_days) for i in range(rng.randint(3, 6))
            )
            build_account(state, account, specs, start)
            created.append(account.id)
        state.touch()
    return created


_GENERATED_NAMES = (
    "Remarketing 7d",
    "Prospecção Amplo",
    "Lookalike 1%",
    "Catálogo Dinâmico",
    "Promoção Sazonal",
    "Institucional Vídeo",
    "Teste Criativos",
    "Advantage+ Shopping",
)


def _generated_campaign(rng: Any, index: int, history_days: int) -> CampaignSpec:
    name = f"{_GENERATED_NAMES[rng.randrange(len(_GENERATED_NAMES))]} #{index + 1}"
    ads = tuple(
        AdSpec(
            f"Anúncio {j + 1}",
            "Oferta especial",
            "Frete grátis acima de R$ 199.",
            ctr=round(0.012 * lognormal(rng, 0.35), 5),
            cvr=round(0.022 * lognormal(rng, 0.5), 5),
            aov=round(210 * lognormal(rng, 0.2), 2),
            cpm=round(25 * lognormal(rng, 0.2), 2),
            scale=round(100 * lognormal(rng, 0.3), 2),
            fatigue=round(0.05 + 0.2 * rng.random(), 3),
            pace=round(0.86 + 0.13 * rng.random(), 3),
        )
        for j in range(rng.randint(1, 3))
    )
    status = PAUSED if rng.random() < 0.2 else ACTIVE
    return CampaignSpec(
        name,
        "OUTCOME_SALES",
        age_days=rng.randint(max(1, history_days // 3), max(1, history_days)),
        status=status,
        adsets=(
            AdSetSpec(
                "Conjunto 1",
                audience=int(2_000_000 * lognormal(rng, 0.8)),
                daily_budget=float(rng.choice((50, 80, 100, 150, 200, 300))),
                targeting=_br(),
                ads=ads,
            ),
        ),
    )
