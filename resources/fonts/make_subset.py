"""Make resources/fonts/wqy-microhei-gbk.ttf: the GBK subset of WenQuanYi Micro
Hei (subfont 0 of Debian's wqy-microhei.ttc) that every printed PDF embeds.

Run from the repository root: ``.venv/bin/python resources/fonts/make_subset.py``
(needs fonttools and Debian's fonts-wqy-microhei). Kept: every character GBK
can encode that the font has, plus Latin-1, general punctuation and the CJK
symbols/full-width forms blocks, so names, addresses and numbers print.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = Path(__file__).resolve().parent / "wqy-microhei-gbk.ttf"
EXTRA_RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def wanted(cmap: dict[int, str]) -> list[int]:
    keep = set()
    for cp in cmap:
        ch = chr(cp)
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            continue
        keep.add(cp)
    for lo, hi in EXTRA_RANGES:
        keep.update(cp for cp in range(lo, hi + 1) if cp in cmap)
    return sorted(keep)


def main() -> int:
    font = TTCollection(str(SOURCE)).fonts[0]
    codepoints = wanted(font.getBestCmap())
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # print only: hinting bytes are a quarter of the file
    options.drop_tables += ["DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints)
    sub.subset(font)
    font.save(str(TARGET))
    print(f"{TARGET.name}: {len(codepoints)} characters, {TARGET.stat().st_size / 1048576:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
