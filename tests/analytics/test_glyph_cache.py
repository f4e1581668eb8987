"""Texts pasted from the glyph cache are the pixels Agg draws for them."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import IdentityTransform

from analytics.chart_canvas import figure
from analytics.glyph_cache import GlyphCachingCanvas


def pixels(fig: Figure) -> np.ndarray:
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    return np.asarray(canvas.buffer_rgba()).copy()  # type: ignore[no-untyped-call]


def drawn(canvas: type[FigureCanvasAgg], times: int, colour: str = "black") -> np.ndarray:
    """Rotated day labels, a title, a y label and a legend, like the daily chart's; two lines."""
    fig, ax = figure(8, 3.6, canvas)
    ax.bar([f"{day:02d}/11" for day in range(1, 15)], range(14), label="Investimento")
    ax.tick_params(axis="x", rotation=45, labelsize=8, labelcolor=colour)
    ax.set_ylabel("Investimento (R$)")
    ax.set_title("Gasto e ROAS — Loja Aurora (14 dias)", loc="left", pad=22, y=1.0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
    ax.text(0.5, 0.5, "Dias sem\ninvestimento", transform=ax.transAxes)  # lines a gap apart
    for _ in range(times):
        fig.canvas.draw()  # type: ignore[no-untyped-call]
    return pixels(fig)


def test_a_figure_drawn_again_from_the_cache_is_agg_s_own_picture() -> None:
    agg = drawn(FigureCanvasAgg, 1)

    assert np.array_equal(drawn(GlyphCachingCanvas, 1), agg)
    assert np.array_equal(drawn(GlyphCachingCanvas, 3), agg)  # the 2nd and 3rd from the cache


def test_cached_glyphs_take_the_colour_of_each_draw() -> None:
    fig, ax = figure(4, 2, GlyphCachingCanvas)
    ax.set_title("Gasto")
    fig.canvas.draw()  # type: ignore[no-untyped-call]
    ax.title.set_color("#F58518")
    fig.canvas.draw()  # type: ignore[no-untyped-call]
    orange = pixels(fig)

    fresh, ax = figure(4, 2, FigureCanvasAgg)
    ax.set_title("Gasto", color="#F58518")
    fresh.canvas.draw()  # type: ignore[no-untyped-call]

    assert np.array_equal(orange, pixels(fresh))


def test_a_text_drawn_again_elsewhere_is_agg_s_picture_of_it_there() -> None:
    """Moved by a fraction of a pixel or by whole pixels, upright or rotated: Agg's pixels."""
    places = [(100.0, 50.0, 0), (100.3, 50.7, 0), (117.0, 81.0, 0), (117.3, 50.7, 0),
              (100.0, 50.0, 45), (164.3, 50.7, 45), (100.0, 51.0, 45)]  # fmt: skip

    def drawn_at(fig: Figure, x: float, y: float, angle: float) -> np.ndarray:
        text = fig.texts[0] if fig.texts else fig.text(0, 0, "Gasto: 1.234,56 (Ágape)")
        # Rotated about its origin: the first glyph at the same place upright and rotated.
        text.set(x=x, y=y, rotation=angle, rotation_mode="anchor", transform=IdentityTransform())
        fig.canvas.draw()  # type: ignore[no-untyped-call]
        return pixels(fig)

    reused = figure(4, 2, GlyphCachingCanvas)[0]
    for x, y, angle in places:
        assert np.array_equal(
            drawn_at(reused, x, y, angle), drawn_at(figure(4, 2)[0], x, y, angle)
        ), (x, y, angle)
