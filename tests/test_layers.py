"""The layers hold (STYLE.md habit 1): no module outside desktop/ui imports
PySide6 (so domain, storage, sync, printing and importers run headless), and
no module inside desktop/ui imports sqlalchemy (the window talks to services,
never to SQL). Read from the source, so it also covers modules no test imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = ROOT / "desktop"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("import_module", "__import__"):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_nothing_outside_the_window_imports_qt():
    offenders = []
    for path in sorted(DESKTOP.rglob("*.py")):
        if (DESKTOP / "ui") in path.parents:
            continue
        if _top(imported_modules(path)) & {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_window_never_imports_sqlalchemy():
    ui_files = sorted((DESKTOP / "ui").rglob("*.py"))
    assert ui_files, "desktop/ui has no modules"
    offenders = [str(p.relative_to(ROOT)) for p in ui_files if "sqlalchemy" in _top(imported_modules(p))]
    assert offenders == []


def test_the_checker_sees_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import os\nfrom sqlalchemy.orm import Session\ndef f():\n    import PySide6.QtCore\n", encoding="utf-8")
    assert _top(imported_modules(f)) == {"os", "sqlalchemy", "PySide6"}
