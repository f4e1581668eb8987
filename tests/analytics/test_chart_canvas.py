"""A chart drawn once and cropped is the picture ``savefig(bbox_inches="tight")`` gives."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from matplotlib.image import imread
from PIL import Image

from analytics.chart_canvas import encode, figure, png
from analytics.charts import spend_roas_chart
from analytics.report import Totals
from vocabulary.i18n import Locale


def pixels(data: bytes) -> np.ndarray:
    return imread(io.BytesIO(data), format="png")[..., :3]  # type: ignore[no-any-return]


def tight_save(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def spilling_figure() -> object:
    """A title and legend above the axes, rotated labels below: all past the requested size."""
    fig, ax = figure(8, 3.6)
    ax.bar([f"{day:02d}/11" for day in range(1, 15)], range(14), label="Investimento")
    ax.tick_params(axis="x", rotation=45, labelsize=8)
    ax.set_ylabel("Investimento (BRL)")
    twin = ax.twinx()
    twin.plot(range(14), [v % 4 for v in range(14)], marker="o", label="ROAS")
    twin.set_ylabel("ROAS")
    ax.set_title("Gasto e ROAS — Loja Aurora (14 dias)", loc="left", pad=22, y=1.0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    return fig


def test_a_drawn_once_chart_is_the_tight_save_of_the_same_figure() -> None:
    ours, reference = pixels(png(spilling_figure())), pixels(tight_save(spilling_figure()))  # type: ignore[arg-type]

    assert abs(ours.shape[0] - reference.shape[0]) <= 1
    assert abs(ours.shape[1] - reference.shape[1]) <= 1
    rows, cols = min(ours.shape[0], reference.shape[0]), min(ours.shape[1], reference.shape[1])
    # The same picture; edges may land a sub-pixel apart (the crop is on whole pixels).
    assert np.abs(ours[:rows, :cols] - reference[:rows, :cols]).mean() < 0.02


def test_nothing_the_daily_chart_draws_is_cut_off() -> None:
    locale = Locale(language="pt-BR")
    days = [
        (locale.date(date(2026, 11, 6) + timedelta(days=n)),
         Totals(spend=Decimal(10_000 * (n + 1)), revenue=Decimal(25_000 * (n + 1))))
        for n in range(14)
    ]  # fmt: skip

    chart = spend_roas_chart(days, "BRL", locale, "Gasto e ROAS — Loja Aurora (14 dias)")

    image = pixels(chart.png)
    white = np.all(image > 0.99, axis=2)
    # savefig's 0.1-inch padding (11 px at 110 dpi) is blank on every side: the crop took it all.
    assert white[:9].all() and white[-9:].all()
    assert white[:, :9].all() and white[:, -9:].all()
    assert not white[11:-11, 11:-11].all()


def test_a_picture_encoded_is_read_back_by_any_png_reader_pixel_for_pixel() -> None:
    fig = spilling_figure()
    fig.canvas.draw()  # type: ignore[attr-defined]
    drawn = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    part = drawn[37:401, 52:777]  # rows and columns strided, like png()'s crop

    image = Image.open(io.BytesIO(encode(part)))
    image.load()

    assert image.format == "PNG" and image.mode == "RGB" and image.size == (725, 364)
    assert round(image.info["dpi"][0]) == 110
    assert np.array_equal(np.asarray(image), part[..., :3])
    assert (part[..., :3] != 255).any()  # a part with something drawn in it
