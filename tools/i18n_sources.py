"""List the Chinese source strings of non-Qt code that need an English entry in
resources/translations/en/*.json.

Found by reading the code: first arguments of ``tr``/``tr_for`` and of any
``...Error(...)`` call, values of dicts named ``*LABELS``, and strings marked
with ``N_("...")``. Run ``python tools/i18n_sources.py`` to print the missing ones
as a JSON skeleton to fill in.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "resources" / "translations" / "en"
PACKAGES = ("desktop", "server")
SKIP_DIRS = {"ui", "migrations"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def sources_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = _name(node.func)
            idx = 1 if fn == "tr_for" else 0
            if fn in ("tr", "tr_for", "N_") or fn.endswith("Error") or fn == "NotFound":
                if len(node.args) > idx and isinstance(node.args[idx], ast.Constant) and isinstance(node.args[idx].value, str):
                    found.add(node.args[idx].value)
            for kw in node.keywords:  # field names and kinds shown inside messages
                if kw.arg in ("field", "what", "kind") and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.add(kw.value.value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_name(t).endswith("LABELS") for t in targets) and isinstance(node.value, ast.Dict):
                for v in node.value.values:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        found.add(v.value)
    return {s for s in found if any("\u4e00" <= ch <= "\u9fff" for ch in s)}


def all_sources() -> dict[str, str]:
    """source string -> first file that uses it."""
    out: dict[str, str] = {}
    for pkg in PACKAGES:
        base = ROOT / pkg
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.py")):
            if SKIP_DIRS & set(path.relative_to(base).parts[:-1]):
                continue
            for s in sources_in(path):
                out.setdefault(s, str(path.relative_to(ROOT)))
    return out


def missing() -> dict[str, str]:
    catalog: dict[str, str] = {}
    for path in sorted(CATALOG_DIR.glob("*.json")):
        catalog.update(json.loads(path.read_text(encoding="utf-8")))
    return {s: where for s, where in all_sources().items() if not catalog.get(s)}


if __name__ == "__main__":
    gaps = missing()
    json.dump({s: "" for s in sorted(gaps)}, sys.stdout, ensure_ascii=False, indent=1)
    print()
    sys.exit(1 if gaps else 0)
