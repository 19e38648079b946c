"""What a person checks on a printed paper, through the real tools: poppler's
pdftotext, pdffonts and pdftoppm, qpdf, and zbarimg for the QR codes."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def save(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pages_text(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    out = _run("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")
    assert out.returncode == 0, out.stderr
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def text(path: Path) -> str:
    """All text, with the spaces of the layout removed so words can be searched."""
    return "".join(pages_text(path)).replace(" ", "")


def fonts(path: Path) -> list[dict[str, str]]:
    out = _run("pdffonts", str(path))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type(+words) encoding emb sub uni object-id gen: read from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def qpdf_check(path: Path) -> subprocess.CompletedProcess[str]:
    return _run("qpdf", "--check", str(path))


def render(path: Path, tmp_path: Path, *, dpi: int = 150, first: int | None = None, last: int | None = None) -> list[Path]:
    prefix = tmp_path / f"{path.stem}-{dpi}"
    cmd = ["pdftoppm", "-r", str(dpi), "-png"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = _run(*cmd, str(path), str(prefix))
    assert out.returncode == 0, out.stderr
    return sorted(tmp_path.glob(f"{prefix.name}-*.png"))


def qr_codes(image: Path) -> list[str]:
    """Every QR code zbarimg finds on a page image (zbarimg exits 4 when none)."""
    out = _run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image))
    assert out.returncode in (0, 4), out.stderr
    return [line for line in out.stdout.splitlines() if line.strip()]
