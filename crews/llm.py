"""The LLM from settings: any provider CrewAI knows, or any OpenAI-compatible endpoint.

``MEDIABRAIN_LLM_MODEL`` names the model as CrewAI does (``openai/gpt-4o-mini``,
``anthropic/claude-...``, ``ollama/llama3.1``); ``MEDIABRAIN_LLM_BASE_URL`` points
at a self-hosted or proxy endpoint; ``MEDIABRAIN_LLM_API_KEY`` is its key. A
model whose prefix CrewAI has no native client for is sent to the base URL with
the OpenAI wire format. Worker-only: imports CrewAI.
"""

from __future__ import annotations

from typing import Any

from crews.offline import load_crewai
from vocabulary.settings import Settings

#: Providers CrewAI talks to with its own client; anything else goes OpenAI-compatible.
NATIVE_PREFIXES = frozenset(
    {
        "openai",
        "anthropic",
        "claude",
        "azure",
        "azure_openai",
        "google",
        "gemini",
        "bedrock",
        "aws",
        "openrouter",
        "deepseek",
        "ollama",
        "ollama_chat",
        "hosted_vllm",
        "cerebras",
        "dashscope",
        "deepinfra",
    }
)

#: Calls are short and the flow retries what it needs; a hung endpoint must not hold a worker.
TIMEOUT_SECONDS = 120


class LLMNotConfigured(RuntimeError):
    """Planning and writing were asked for without ``MEDIABRAIN_LLM_MODEL``."""


def llm_kwargs(settings: Settings) -> dict[str, Any]:
    """The keyword arguments for ``crewai.LLM`` (separate so it can be read without CrewAI)."""
    if not settings.llm_model:
        raise LLMNotConfigured("MEDIABRAIN_LLM_MODEL is not set")
    model = settings.llm_model.strip()
    kwargs: dict[str, Any] = {"model": model, "timeout": TIMEOUT_SECONDS, "temperature": 0.4}
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url.rstrip("/")
        prefix = model.partition("/")[0].lower() if "/" in model else ""
        if prefix not in NATIVE_PREFIXES or prefix == "openai":
            kwargs["custom_openai"] = True
            if not settings.llm_api_key:
                kwargs["api_key"] = "not-needed"  # local servers ignore it; the client wants one
    return kwargs


def build_llm(settings: Settings) -> Any:
    """A fresh ``crewai.LLM`` (one per agent and run, so token counts are exact per run)."""
    crewai = load_crewai(settings)
    return crewai.LLM(**llm_kwargs(settings))
