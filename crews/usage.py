"""Tokens and estimated cost per crew run, stored per workspace (table ``llm_usage``).

Prices are list prices in US dollars per million tokens, matched by model name;
local models (Ollama, vLLM) cost nothing, unknown models are recorded at zero and
flagged in the summary. Nothing here imports CrewAI: the "uso" command reads it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import LlmUsage
from vocabulary import metrics

if TYPE_CHECKING:
    from vocabulary.runtime import Runtime

logger = logging.getLogger(__name__)

MILLION = Decimal(1_000_000)

#: (input, output) USD per 1M tokens; the first entry whose key is in the model name wins.
PRICES: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("gpt-4o-mini", Decimal("0.15"), Decimal("0.60")),
    ("gpt-4.1-nano", Decimal("0.10"), Decimal("0.40")),
    ("gpt-4.1-mini", Decimal("0.40"), Decimal("1.60")),
    ("gpt-4.1", Decimal("2.00"), Decimal("8.00")),
    ("gpt-4o", Decimal("2.50"), Decimal("10.00")),
    ("gpt-5-nano", Decimal("0.05"), Decimal("0.40")),
    ("gpt-5-mini", Decimal("0.25"), Decimal("2.00")),
    ("gpt-5", Decimal("1.25"), Decimal("10.00")),
    ("o4-mini", Decimal("1.10"), Decimal("4.40")),
    ("claude-3-5-haiku", Decimal("0.80"), Decimal("4.00")),
    ("claude-haiku", Decimal("1.00"), Decimal("5.00")),
    ("claude-sonnet", Decimal("3.00"), Decimal("15.00")),
    ("claude-3-5-sonnet", Decimal("3.00"), Decimal("15.00")),
    ("claude-opus", Decimal("15.00"), Decimal("75.00")),
    ("gemini-2.5-flash", Decimal("0.30"), Decimal("2.50")),
    ("gemini-2.5-pro", Decimal("1.25"), Decimal("10.00")),
    ("gemini-2.0-flash", Decimal("0.10"), Decimal("0.40")),
    ("deepseek", Decimal("0.27"), Decimal("1.10")),
)
FREE_PREFIXES = ("ollama/", "ollama_chat/", "hosted_vllm/")


def price_of(model: str) -> tuple[Decimal, Decimal] | None:
    name = model.lower()
    if name.startswith(FREE_PREFIXES):
        return Decimal(0), Decimal(0)
    for key, prompt, completion in PRICES:
        if key in name:
            return prompt, completion
    return None


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal | None:
    """Estimated USD cost, or None when the model's price is unknown."""
    price = price_of(model)
    if price is None:
        return None
    cost = (Decimal(prompt_tokens) * price[0] + Decimal(completion_tokens) * price[1]) / MILLION
    return cost.quantize(Decimal("0.000001"))


def record_usage(
    rt: Runtime,
    *,
    workspace_id: int,
    conversation_id: int | None,
    flow: str,
    prompt_variant: str,
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
) -> LlmUsage:
    cost = estimate_cost(model, prompt_tokens, completion_tokens)
    if cost is None:
        logger.info("usage: no price known for model %s; cost recorded as 0", model)
    with rt.db.session(workspace_id) as session:
        row = LlmUsage(
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            flow=flow,
            prompt_variant=prompt_variant,
            model=model[:128],
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost or Decimal(0),
        )
        session.add(row)
        session.flush()
        session.expunge(row)
    for kind, tokens in (("prompt", prompt_tokens), ("completion", completion_tokens)):
        metrics.incr(rt.redis, "mb_llm_tokens", {"kind": kind, "model": model[:64]}, tokens)
    logger.info(
        "usage: workspace=%s flow=%s variant=%s tokens=%s+%s cost_usd=%s",
        workspace_id,
        flow,
        prompt_variant,
        prompt_tokens,
        completion_tokens,
        cost,
    )
    return row


@dataclass
class Bucket:
    runs: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: Decimal = Decimal(0)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, row: LlmUsage) -> None:
        self.runs += 1
        self.prompt_tokens += row.prompt_tokens
        self.completion_tokens += row.completion_tokens
        self.cost_usd += Decimal(row.cost_usd or 0)


@dataclass
class UsageSummary:
    total: Bucket = field(default_factory=Bucket)
    by_flow: dict[str, Bucket] = field(default_factory=lambda: defaultdict(Bucket))
    by_variant: dict[str, Bucket] = field(default_factory=lambda: defaultdict(Bucket))
    unpriced_models: set[str] = field(default_factory=set)


def usage_summary(session: Session, workspace_id: int, since: datetime) -> UsageSummary:
    rows = session.scalars(
        select(LlmUsage)
        .where(LlmUsage.workspace_id == workspace_id, LlmUsage.created_at >= since)
        .order_by(LlmUsage.id)
    ).all()
    summary = UsageSummary()
    for row in rows:
        summary.total.add(row)
        summary.by_flow[row.flow].add(row)
        summary.by_variant[row.prompt_variant].add(row)
        if price_of(row.model) is None:
            summary.unpriced_models.add(row.model)
    return summary
