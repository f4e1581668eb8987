"""Done when: in the console, advancing the sandbox a day shows the pushed report, alert and digest."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import ROUND_UP, Decimal
from pathlib import Path
from typing import Any

from bot.console import ConsoleChat

DEMO = "act_1000000001"


def expected_limit(sandbox: Any) -> int:
    """A monthly limit (R$) that tomorrow's month-to-date will fill to about 85%."""
    state = sandbox.state
    today = state.today(DEMO)
    so_far = state.totals(DEMO, today.replace(day=1), today).spend
    week = state.totals(DEMO, today - timedelta(days=7), today - timedelta(days=1)).spend
    tomorrow = Decimal(so_far) + Decimal(week) / 7
    return int((tomorrow / Decimal("0.85") / 100).quantize(Decimal(1), ROUND_UP))


def test_advancing_a_day_pushes_report_alert_and_digest(make_runtime: Any, sandbox: Any) -> None:
    rt = make_runtime(sandbox=sandbox)
    out = io.StringIO()
    chat = ConsoleChat(rt, user="ana", out=out)
    limit = expected_limit(sandbox)
    chat.run_script([f"limite mensal {limit}", "/avancar 1d"])
    text = out.getvalue()
    pushed = text.split("> /avancar 1d", 1)[1]

    # The daily report (18:00) with its chart written to a file.
    assert "*Relatório diário · 19 de nov. de 2026*" in pushed
    chart = re.search(r"📈 Loja Aurora \(demo\): investimento e ROAS, 14 dias: (\S+\.png)", pushed)
    assert chart is not None and Path(chart.group(1)).read_bytes().startswith(b"\x89PNG")
    # The nightly optimization's digest (08:00) with its approval cards.
    assert "*☀️ Otimização da noite · Loja Aurora (demo)*" in pushed
    assert "Aprovação necessária" in pushed
    # The budget alert at 80% with a reduction proposal to approve.
    alert = re.search(r"\*⚠️ Orçamento do mês: (\d+),\d% do limite\*", pushed)
    assert alert is not None and 80 <= int(alert.group(1)) < 100
    after_alert = pushed[alert.end() :]
    assert "Proponho" in after_alert
    assert re.search(
        r"Ação: mudar o orçamento diário d[oa] .+ de R\$ [\d.,]+ para R\$", after_alert
    )
    # Every card pushed since the last line typed has its own numbers (issue 15).
    assert re.search(r"\[(\d+)\] Aprovar", after_alert)
    numbers = [int(n) for n in re.findall(r"\[(\d+)\] ", pushed)]
    assert numbers == list(range(1, len(numbers) + 1))
    # In that order: report, digest, alert (the order their local times came).
    assert pushed.index("Relatório diário") < pushed.index("Otimização da noite") < alert.start()
