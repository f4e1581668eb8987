"""An Agg canvas that keeps the glyph bitmaps of the texts it draws, for a figure drawn again.

A reused figure (:mod:`analytics.spend_roas_canvas`) draws mostly the texts it drew
for the previous chart, at the same places: the day labels, the axis labels, the
legend, most tick labels. Laying a text out (shaping) and rendering its glyphs is
most of what is left of a chart's cost, and the result depends only on the string,
the font, the angle and the position: so the glyph bitmaps are kept under those, and
the next draw of the same text at the same place pastes them (in the colour of that
draw: a bitmap is coverage, not colour). Pixels are identical to Agg's own drawing.

Many texts come back elsewhere (a y label moved by its tick labels' width, a tick
label at another height) and every account's title is new, but made of glyphs drawn
before. So below the texts are kept their layouts (a string's glyphs and offsets,
wherever it is drawn) and the glyphs: FreeType renders a glyph at an origin given in
1/64 px, and moving that origin by whole pixels only moves the bitmap (the outline is
hinted before it is moved), so a glyph is kept per font, size, angle and the origin's fraction of a pixel (its phase), and
pasted at any position with that phase.

Laying out any text, to draw it or to measure it (an axis measures its tick labels
twice per draw to place its label), starts by finding the font and reading its
ascent, descent and line gap from its tables: two thirds of a layout's cost. The
renderer keeps those per font and size, through the hook ``Text._get_layout`` asks a
renderer for (``_get_font_height_metrics``, matplotlib's PDF and PS renderers have
it); without the hook matplotlib reads the tables itself, the same numbers.

The rendering loop is Agg's own (matplotlib 3.11, ``RendererAgg.draw_text`` and
``_draw_text_glyphs_and_boxes`` for plain text); math text and text without
antialiasing go to Agg unchanged. tests/analytics/test_glyph_cache.py compares a
figure drawn here with Agg's drawing of it, byte for byte.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import RenderMode

#: Texts kept per canvas; past it the cache starts over (titles name each account).
KEEP = 1024
#: Glyphs kept per canvas (per font, size, angle and 1/64 px phase; each ~100 bytes).
KEEP_GLYPHS = 16384

Glyphs = list[tuple[Any, int, int]]  # (coverage bitmap, left, top) per glyph
Heights = tuple[float, float, float] | tuple[None, None, None]  # ascent, descent, line gap


class GlyphCachingRenderer(RendererAgg):
    def __init__(self, width: int, height: int, dpi: float) -> None:
        super().__init__(width, height, dpi)  # type: ignore[no-untyped-call]
        self.glyphs: dict[tuple[Any, ...], Glyphs] = {}
        self.layouts: dict[tuple[Any, ...], list[tuple[Any, int, float, float]]] = {}
        self.bitmaps: dict[tuple[Any, ...], tuple[Any, int, int]] = {}
        self.heights: dict[tuple[int, float], Heights] = {}

    def _get_font_height_metrics(self, prop: FontProperties) -> Heights:
        """The font's ascent, descent and line gap, as ``Text._get_layout`` reads them.

        Every layout of a text (each draw, each measure of a tick label) looks the font
        up and reads these from its tables; matplotlib asks a renderer that has this
        method instead (its PDF and PS renderers do). Same tables, same arithmetic.
        """
        key = hash(prop), prop.get_size_in_points()
        heights = self.heights.get(key)
        if heights is None:
            heights = None, None, None  # matplotlib measures "lp" instead
            font: Any = get_font(fontManager._find_fonts_by_props(prop))  # tables by name
            for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                scale = 1 / units_per_em * prop.get_size_in_points() * self.dpi / 72
                heights = table[ascent] * scale, -table[descent] * scale, table[gap] * scale
                break
            self.heights[key] = heights
        return heights

    def draw_text(  # type: ignore[no-untyped-def]
        self, gc, x, y, s, prop, angle, ismath=False, mtext=None
    ) -> None:
        if ismath or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
            return
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, hash(prop), prop.get_size_in_points(), angle, x, y, repr((features, language)))
        glyphs = self.glyphs.get(key)
        if glyphs is None:
            glyphs = self._render(x, y, s, prop, angle, features, language)
            if len(self.glyphs) >= KEEP:
                self.glyphs.clear()
            self.glyphs[key] = glyphs
        for buffer, left, top in glyphs:
            self._renderer.draw_text_image(buffer, left, top, 0, gc)

    def _render(  # type: ignore[no-untyped-def]
        self, x, y, s, prop, angle, features, language
    ) -> Glyphs:
        hinting = get_hinting_flag()  # type: ignore[no-untyped-call]
        size = prop.get_size_in_points()
        layout_key = s, hash(prop), size, repr((features, language))
        items = self.layouts.get(layout_key)
        if items is None:
            font = self._prepare_font(prop)  # type: ignore[no-untyped-call]
            laid = font._layout(s, flags=hinting, features=features, language=language)
            items = [(item.ft_object, item.glyph_index, item.x, item.y) for item in laid]
            if len(self.layouts) >= KEEP:
                self.layouts.clear()
            self.layouts[layout_key] = items
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        rotation = None
        out: Glyphs = []
        for face, index, dx, dy in items:  # dy is upwards
            # The glyph's origin in FreeType's 1/64 px (y upwards): whole pixels only
            # move the bitmap, the fraction shapes it.
            whole_x, part_x = divmod(round(0x40 * (x + dx * cos - dy * sin)), 0x40)
            whole_y, part_y = divmod(round(0x40 * (self.height - y + dx * sin + dy * cos)), 0x40)
            glyph_key = face, index, size, angle, hinting, part_x, part_y
            glyph = self.bitmaps.get(glyph_key)
            if glyph is None:
                if rotation is None:
                    rotation = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                face.set_size(size, self.dpi)
                face._set_transform(rotation, [part_x, part_y])
                bitmap = face._render_glyph(index, hinting, RenderMode.NORMAL)
                glyph = np.array(bitmap.buffer), bitmap.left, bitmap.top  # a copy: reused
                if len(self.bitmaps) >= KEEP_GLYPHS:
                    self.bitmaps.clear()
                self.bitmaps[glyph_key] = glyph
            buffer, left, top = glyph
            out.append(
                (buffer, left + whole_x, int(self.height) - (top + whole_y) + buffer.shape[0])
            )
        return out


class GlyphCachingCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with :class:`GlyphCachingRenderer` (kept while the size is)."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key  # type: ignore[assignment]
        return self.renderer  # type: ignore[no-any-return]
