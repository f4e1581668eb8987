"""Figures drawn once and cropped to their content: the look of a tight save at half the cost.

``savefig(bbox_inches="tight")`` draws a figure twice: once to measure what it
drew (titles, legends and rotated labels spill past the axes), once more on a
canvas cut to that box. Drawing is most of a daily report's time (a fan-out
renders a chart per account), so a chart here is laid out on a canvas with a
margin around the size it asks for, the axes where they would sit on a figure
of that size, drawn once, and the pixels inside matplotlib's own tight box
(padded like ``savefig``) are what is saved. The picture is the tight save's, give or
take a sub-pixel shift of the crop.

No pyplot: its global figure registry is state a warm worker would carry from
one job to the next, and a figure built on its own is freed when dropped.
"""

from __future__ import annotations

import struct
import zlib

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Every chart's resolution (dots per inch).
DPI = 110
#: Room around the requested size for what spills past it (inches on each side).
MARGIN = 1.0
#: ``savefig``'s padding around the tight box (inches).
PAD = 0.1


def figure(
    width: float, height: float, canvas: type[FigureCanvasAgg] = FigureCanvasAgg
) -> tuple[Figure, Axes]:
    """A figure whose axes sit as ``plt.subplots(figsize=(width, height))`` would place them."""
    fig = Figure(figsize=(width + 2 * MARGIN, height + 2 * MARGIN), dpi=DPI)
    canvas(fig)
    params = matplotlib.rcParams
    total_w, total_h = width + 2 * MARGIN, height + 2 * MARGIN
    fig.subplots_adjust(
        left=(MARGIN + params["figure.subplot.left"] * width) / total_w,
        right=(MARGIN + params["figure.subplot.right"] * width) / total_w,
        bottom=(MARGIN + params["figure.subplot.bottom"] * height) / total_h,
        top=(MARGIN + params["figure.subplot.top"] * height) / total_h,
    )
    return fig, fig.add_subplot()


def png(fig: Figure, *, ink: bool = False, draw: bool = True) -> bytes:
    """The figure as PNG bytes, cut to what it drew plus ``savefig``'s padding.

    ``ink``: cut to the pixels drawn rather than to the boxes of the artists, which
    measures nothing (a text's box reaches a few pixels past its glyphs, so the picture
    is up to ~4 px smaller than the tight save's; the same padding around it).
    ``draw=False``: the canvas holds the picture already (drawn by blitting).
    """
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # set by figure()
    if draw:
        canvas.draw()  # type: ignore[no-untyped-call]
    pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    height, width = pixels.shape[:2]
    pad = round(PAD * DPI)
    if ink:
        drawn = pixels.view(np.uint32)[..., 0] != np.uint32(0xFFFFFFFF)  # not opaque white
        rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        if not len(rows):
            rows = cols = np.array([0])
        top, bottom = max(int(rows[0]) - pad, 0), min(int(rows[-1]) + 1 + pad, height)
        left, right = max(int(cols[0]) - pad, 0), min(int(cols[-1]) + 1 + pad, width)
    else:
        box = fig.get_tightbbox(canvas.get_renderer()).padded(PAD)  # type: ignore[no-untyped-call]
        left, right = max(round(box.x0 * DPI), 0), round(box.x1 * DPI)
        top, bottom = max(round(height - box.y1 * DPI), 0), round(height - box.y0 * DPI)
    return encode(pixels[top:bottom, left:right])


def encode(rgba: np.ndarray) -> bytes:
    """Opaque RGBA pixels (height, width, 4; rows may be strided) as RGB PNG bytes at :data:`DPI`.

    Written here rather than by Pillow, whose encoder tries every PNG filter on every
    row: each row is stored as its difference from the row above (the "Up" filter),
    which turns a chart's flat colours and white into runs of zeros, and zlib at level 2
    makes of them a file about as small as Pillow's at level 1 in a third of the time
    (bench/bench_charts.py). The difference is taken on whole RGBA rows and the alpha
    dropped one channel at a time: copying 3 bytes of every 4 in one go is numpy's slow
    case (its innermost loop would run over 3 bytes), four times the cost.
    """
    height, width = rgba.shape[:2]
    up = np.empty((height, width, 4), np.uint8)
    up[:1] = rgba[:1]  # the first row's "row above" is zeros
    np.subtract(rgba[1:], rgba[:-1], out=up[1:])  # modulo 256, as PNG's filter
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 2  # the filter, row by row
    rgb = rows[:, 1:].reshape(height, width, 3)  # a view into rows
    for channel in range(3):
        rgb[..., channel] = up[..., channel]
    per_metre = int(DPI / 0.0254 + 0.5)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", zlib.compress(rows.data, 2)),
        _chunk(b"IEND", b""),
    ))  # fmt: skip


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
