"""Draw the application icon: a white speech bubble holding a red 议 on a
deep-red rounded square (the colour of the 有事好商量 posters). Writes
``resources/icons/yishi.png`` (256 px, the window icon) and
``resources/icons/yishi.ico`` (16 to 256 px, the Windows executable and
installer icon). Run it only to re-create the checked-in files:

    .venv/bin/python tools/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei-gbk.ttf"
RED, WHITE = (180, 30, 36, 255), (255, 255, 255, 255)
SCALE = 4  # draw big and shrink, for smooth edges without an antialiasing API


def draw(size: int = 256) -> Image.Image:
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=s // 5, fill=RED)
    # bubble: a rounded box with a tail at the lower left
    left, top, right, bottom = s * 0.16, s * 0.18, s * 0.84, s * 0.72
    d.rounded_rectangle((left, top, right, bottom), radius=s * 0.12, fill=WHITE)
    d.polygon([(s * 0.26, bottom - s * 0.02), (s * 0.22, s * 0.86), (s * 0.44, bottom - s * 0.02)], fill=WHITE)
    font = ImageFont.truetype(str(FONT), int(s * 0.42))
    cx, cy = (left + right) / 2, (top + bottom) / 2
    d.text((cx, cy), "议", font=font, fill=RED, anchor="mm", stroke_width=int(s * 0.012), stroke_fill=RED)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(OUT / "yishi.png", optimize=True)
    big.save(OUT / "yishi.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(f"wrote {OUT / 'yishi.png'} and {OUT / 'yishi.ico'}")


if __name__ == "__main__":
    main()
