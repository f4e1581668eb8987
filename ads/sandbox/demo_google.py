"""The Google Ads demo customer, built by the same specs and performance model as Meta's.

Google campaigns map onto the shared model: a campaign is a campaign with its own
(campaign-level) budget, an ad group an ad set, an ad an ad. Search is bought by
the click, but the model delivers impressions: the specs' CPMs are set from the
typical CPC × CTR of each channel (assumption: Brazilian retail brand search at
R$ 0,90–1,20 per click and 8–12% CTR, generic search at R$ 1,80–2,40 and 3–5%,
Shopping and Performance Max at R$ 0,70–1,00 and ~1,5%; WordStream's Google Ads
benchmarks give the same order for retail). The Google sandbox names each
campaign's channel from its name (``Search``, ``Shopping``, ``Performance Max``,
``YouTube``), see :func:`ads.google.sandbox.rows.channel_type`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ads.demo_account import GOOGLE_DEMO_CUSTOMER_ID, GOOGLE_DEMO_NAME
from ads.sandbox.records import PAUSED
from ads.sandbox.specs import AdSetSpec, AdSpec, CampaignSpec, build_account

if TYPE_CHECKING:
    from ads.sandbox.state import SandboxState

_SEARCH: dict[str, Any] = {"geo_locations": {"countries": ["BR"]}}

AURORA_GOOGLE: tuple[CampaignSpec, ...] = (
    CampaignSpec(
        "Search | Marca",
        "OUTCOME_SALES",
        age_days=75,
        daily_budget=120,
        adsets=(
            AdSetSpec(
                "Marca - Exata",
                audience=180_000,
                churn=0.2,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "RSA Marca",
                        "Loja Aurora Oficial",
                        "Frete grátis acima de R$ 199. Troca grátis em 30 dias.",
                        0.105,
                        0.071,
                        238,
                        105,
                        110,
                        path="/",
                    ),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Search | Genéricas Tênis",
        "OUTCOME_SALES",
        age_days=60,
        daily_budget=250,
        adsets=(
            AdSetSpec(
                "Tênis Corrida",
                audience=1_400_000,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "RSA Tênis Corrida",
                        "Tênis de Corrida em Oferta",
                        "Modelos 2026 com até 30% OFF. Entrega rápida.",
                        0.041,
                        0.019,
                        262,
                        86,
                        150,
                        pace=0.97,
                        path="/tenis",
                    ),
                ),
            ),
            AdSetSpec(
                "Tênis Casual",
                audience=2_100_000,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "RSA Tênis Casual",
                        "Tênis Casual Masculino e Feminino",
                        "Conforto para o dia a dia. Parcele em 10x.",
                        0.036,
                        0.016,
                        221,
                        78,
                        110,
                        pace=0.97,
                        path="/tenis",
                    ),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Performance Max | Catálogo",
        "OUTCOME_SALES",
        age_days=45,
        daily_budget=300,
        adsets=(
            AdSetSpec(
                "Grupo de recursos - Catálogo",
                audience=9_000_000,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "PMax Catálogo",
                        "Os mais vendidos da Aurora",
                        "Frete grátis para todo o Brasil.",
                        0.014,
                        0.027,
                        219,
                        13,
                        280,
                        pace=0.96,
                    ),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "Shopping | Acessórios",
        "OUTCOME_SALES",
        age_days=30,
        daily_budget=90,
        adsets=(
            AdSetSpec(
                "Todos os produtos",
                audience=1_200_000,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "Shopping Acessórios",
                        "Acessórios Aurora",
                        "Bolsas, cintos e bonés.",
                        0.012,
                        0.018,
                        129,
                        11,
                        85,
                        pace=0.95,
                    ),
                ),
            ),
        ),
    ),
    CampaignSpec(
        "YouTube | Remarketing",
        "OUTCOME_SALES",
        age_days=50,
        daily_budget=80,
        status=PAUSED,
        adsets=(
            AdSetSpec(
                "Visitantes 30d",
                audience=60_000,
                churn=0.2,
                targeting=_SEARCH,
                ads=(
                    AdSpec(
                        "Vídeo 15s Coleção",
                        "Nova coleção",
                        "Veja a coleção de verão.",
                        0.006,
                        0.012,
                        230,
                        18,
                        60,
                        video=True,
                    ),
                ),
            ),
        ),
    ),
)


def populate_google_demo(state: SandboxState) -> None:
    """Add the Google demo customer with its history (beside the Meta demo accounts)."""
    start = state.now()
    customer = state.add_account(
        GOOGLE_DEMO_CUSTOMER_ID,
        name=GOOGLE_DEMO_NAME,
        currency="BRL",
        timezone="America/Sao_Paulo",
        business_name="Aurora Comércio Digital Ltda",
        created=start - timedelta(days=400),
        platform="google",
    )
    build_account(state, customer, AURORA_GOOGLE, start)
