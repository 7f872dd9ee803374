"""Draw the field app's home-screen icons into suragh/intake/static/intake/icons/.

Run after changing the drawing: python scripts/make_field_icons.py

The mark is a magnifying glass over a trail of three dots (Suragh: a clue, a trace) in white on the
product's navy. The "any" icons are rounded squares; the maskable one fills its square and keeps the
mark inside the central 80 % circle that Android may crop to.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "suragh" / "intake" / "static" / "intake" / "icons"
NAVY = (23, 50, 77, 255)
WHITE = (255, 255, 255, 255)
AMBER = (255, 216, 77, 255)
SUPERSAMPLE = 4


def draw_mark(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """The magnifier and trail, centred, spanning `scale` of the icon's side."""
    span = size * scale
    left = (size - span) / 2
    top = (size - span) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return left + x * span, top + y * span

    ring = span * 0.085
    cx, cy, radius = 0.39, 0.39, 0.30
    x0, y0 = at(cx - radius, cy - radius)
    x1, y1 = at(cx + radius, cy + radius)
    draw.ellipse((x0, y0, x1, y1), outline=WHITE, width=round(ring))
    handle_from = at(cx + radius * 0.74, cy + radius * 0.74)
    handle_to = at(0.88, 0.88)
    draw.line((*handle_from, *handle_to), fill=WHITE, width=round(span * 0.13))
    cap = span * 0.065
    draw.ellipse((handle_to[0] - cap, handle_to[1] - cap, handle_to[0] + cap, handle_to[1] + cap), fill=WHITE)
    for (x, y), r in (((0.28, 0.50), 0.045), ((0.39, 0.39), 0.05), ((0.50, 0.28), 0.05)):
        px, py = at(x, y)
        dot = span * r
        draw.ellipse((px - dot, py - dot, px + dot, py + dot), fill=AMBER)


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=NAVY)
        draw_mark(draw, big, 0.58)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.2, fill=NAVY)
        draw_mark(draw, big, 0.74)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    outputs = {
        "icon-192.png": icon(192, maskable=False),
        "icon-512.png": icon(512, maskable=False),
        "icon-maskable-512.png": icon(512, maskable=True),
    }
    for name, image in outputs.items():
        image.save(ICONS / name, format="PNG", optimize=True)
        print(f"wrote {ICONS / name} ({image.size[0]}x{image.size[1]})")


if __name__ == "__main__":
    main()
