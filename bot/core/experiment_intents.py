"""A/B tests as people ask for them, as pure matchers (pt-BR and English).

``teste A/B no remarketing: "Frete grátis hoje" vs "Só até domingo"`` (copy),
``teste A/B dos anúncios 3 e 5`` (creatives), ``testar essas 3 variações`` (the crew's last
copy), ``teste de público: lookalike 1% vs interesses`` (audiences), ``teste de posicionamento:
feed vs stories`` (placements); ``testes``,
``teste 2``, ``parar teste 2``, ``iniciar teste 2``, ``aplicar vencedor do teste 2``,
``o que funciona?`` and the English forms. Text arrives normalized (lower case, no accents).
"""

from __future__ import annotations

import re

from vocabulary.parsing import Args

_AB = r"(?:teste|testar|testa|rodar um teste|crie um teste|criar teste)\s+a\s*/?\s*b|a\s*/?\s*b\s+test|ab\s+test|split\s+test"
_COPY = re.compile(
    rf"^(?:{_AB})\s*(?:(?:no|na|nos|nas|em|do|da|on|in|for)\s+(?:a\s+|o\s+|the\s+)?"
    rf"(?:campanha\s+|campaign\s+)?(?P<campaign>id:\d+|[^:\"“”]+?))?\s*:\s*(?P<rest>.*[\"“”].*)$"
)
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_CREATIVES = re.compile(
    rf"^(?:{_AB})\s+(?:dos|das|de|os|as|dos\s+meus|entre\s+os|entre\s+as|entre|of|between|on)?"
    r"\s*(?:the\s+)?"
    r"(?:anuncios|criativos|ads|creatives)\s+(?P<numbers>\d+(?:\s*(?:,|e|and|vs|x)\s*\d+)+)$"
)
_CREW = re.compile(
    r"^(?:testar|teste|testa|test)\s+(?:essas|estas|as|these|the|those)\s+(?P<count>\d{1,2})\s+"
    r"(?:variacoes|variacao|versoes|copies|variations|versions)(?:\s+(?:de\s+copy|of\s+copy))?$"
)
_AUDIENCE = re.compile(
    r"^(?:teste\s+de\s+publico|testar\s+publicos?|teste\s+a\s*/?\s*b\s+de\s+publico|"
    r"audience\s+test|a\s*/?\s*b\s+test\s+(?:of\s+)?audiences?|test\s+audiences?)\s*:?\s*"
    r"(?P<options>.+(?:\s+(?:vs\.?|x|versus|contra|or|ou|e|and)\s+|,\s*).+)$"
)
_PLACEMENT = re.compile(
    r"^(?:teste\s+(?:a\s*/?\s*b\s+)?de\s+posicionamentos?|testar\s+posicionamentos?|"
    r"placement\s+test|a\s*/?\s*b\s+test\s+(?:of\s+)?placements?|test\s+placements?)\s*:?\s*"
    r"(?P<options>.+(?:\s+(?:vs\.?|x|versus|contra|or|ou|e|and)\s+|,\s*).+)$"
)
_SPLIT = re.compile(r"\s+(?:vs\.?|x|versus|contra|or|ou|e|and)\s+|\s*,\s*")
_LIST = re.compile(
    r"^(?:testes|meus testes|testes a/?b|experimentos|tests|my tests|a/?b tests|experiments)$"
)
_SHOW = re.compile(r"^(?:teste|test|experimento|experiment)\s*#?\s*(?P<number>\d{1,5})$")
_STOP = re.compile(
    r"^(?:parar|pare|para|encerrar|encerre|stop|end)\s+(?:o\s+|the\s+)?"
    r"(?:teste|test|experimento|experiment)\s*#?\s*(?P<number>\d{1,5})$"
)
_START = re.compile(
    r"^(?:iniciar|inicie|comecar|comece|start|begin)\s+(?:o\s+|the\s+)?"
    r"(?:teste|test|experimento|experiment)\s*#?\s*(?P<number>\d{1,5})$"
)
_APPLY = re.compile(
    r"^(?:aplicar|aplique|apply)\s+(?:o\s+|the\s+)?(?:vencedor|winner)"
    r"(?:\s+(?:do\s+|of\s+)?(?:the\s+)?(?:teste|test)\s*#?\s*(?P<number>\d{1,5}))?$"
)
_WHAT_WORKS = re.compile(
    r"^(?:o\s+que\s+(?:funciona|esta\s+funcionando|deu\s+certo)(?:\s+nos\s+testes)?|"
    r"o\s+que\s+aprendemos(?:\s+com\s+os\s+testes)?|what\s+works|what\s+worked|"
    r"what\s+(?:have\s+)?we\s+learned)$"
)


def match_create(text: str, language: str) -> Args | None:
    """A new test: copy, creatives, the crew's variations, audiences or placements."""
    if m := _CREW.match(text):
        return {"kind": "crew", "count": int(m["count"])}
    if m := _CREATIVES.match(text):
        numbers = [int(n) for n in re.findall(r"\d+", m["numbers"])]
        return {"kind": "creative", "numbers": numbers}
    if m := _AUDIENCE.match(text):
        options = [o.strip(' .:"“”') for o in _SPLIT.split(m["options"]) if o.strip(' .:"“”')]
        return {"kind": "audience", "options": options} if len(options) >= 2 else None
    if m := _PLACEMENT.match(text):
        options = [o.strip(' .:"“”') for o in _SPLIT.split(m["options"]) if o.strip(' .:"“”')]
        return {"kind": "placement", "options": options} if len(options) >= 2 else None
    if m := _COPY.match(text):
        texts = _QUOTED.findall(m["rest"])
        if len(texts) < 2:
            return None
        return {"kind": "copy", "campaign": (m["campaign"] or "").strip(), "count": len(texts)}
    return None


def quoted(raw: str) -> list[str]:
    """The quoted texts of a message as typed (accents and case kept)."""
    return [t.strip() for t in _QUOTED.findall(raw) if t.strip()]


def match_list(text: str, language: str) -> Args | None:
    return {} if _LIST.match(text) else None


def match_show(text: str, language: str) -> Args | None:
    return {"number": int(m["number"])} if (m := _SHOW.match(text)) else None


def match_stop(text: str, language: str) -> Args | None:
    return {"number": int(m["number"])} if (m := _STOP.match(text)) else None


def match_start(text: str, language: str) -> Args | None:
    return {"number": int(m["number"])} if (m := _START.match(text)) else None


def match_apply(text: str, language: str) -> Args | None:
    if m := _APPLY.match(text):
        return {"number": int(m["number"])} if m["number"] else {}
    return None


def match_what_works(text: str, language: str) -> Args | None:
    return {} if _WHAT_WORKS.match(text) else None
