"""Test set-up shared by the whole suite: Qt offscreen before any Qt import,
a fresh data dir (and so a fresh SQLite file) per test, and Chinese as the
language unless a test says otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["YISHI_LANG"] = "zh"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop.i18n import set_language  # noqa: E402


# Tests that time the GUI thread (a heartbeat on the event loop, typing against
# a 2-second autosave) run alone: scripts/test runs them after the parallel run,
# so other tests' load cannot make them lie either way.
SERIAL = ("tests/ui/test_responsive.py", "tests/ui/test_never_lose_a_word.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        rel = Path(item.path).resolve().relative_to(Path(__file__).resolve().parents[1]).as_posix()
        if rel in SERIAL:
            item.add_marker(pytest.mark.serial)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The PyInstaller bundle the packaging tests share (tests/packaging/conftest.py)
    goes when the whole run ends: here in the controller, or a run without workers."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or hasattr(session.config, "workerinput") or factory._basetemp is None:
        return  # (a run that made no temporary folder must not make one here)
    import shutil

    shutil.rmtree(factory.getbasetemp() / "pyinstaller-bundle", ignore_errors=True)


@pytest.fixture(autouse=True)
def _chinese_default():
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, made once by the real migrations."""
    from desktop.storage.db import DB_FILENAME, Store

    d = tmp_path_factory.mktemp("template")
    s = Store(d)
    s.close()
    return d / DB_FILENAME


@pytest.fixture
def store(data_dir: Path, migrated_template: Path):
    """A fresh database file for this test (a copy of the migrated template, so
    each test does not pay for running every migration again)."""
    import shutil

    from desktop.storage.db import DB_FILENAME, Store

    shutil.copyfile(migrated_template, data_dir / DB_FILENAME)
    s = Store(data_dir)
    yield s
    s.close()


@pytest.fixture
def room_store(store):
    """A store whose room has been set up."""
    from desktop.storage.services import rooms

    rooms.init_room(store, code="QJP-001", name="清江浦区水渡口社区协商议事室", township="水渡口街道", county="清江浦区")
    return store


@pytest.fixture(scope="session")
def srv(tmp_path_factory: pytest.TempPathFactory):
    """One real county server process (SQLite) shared by the sync, e2e and window
    tests of a session, with rooms QJP-001 (A) and HY-002 (B); each test enrols
    its own PCs, mostly in a fresh room. tests/server has its own ``srv``,
    parametrised over SQLite and PostgreSQL."""
    from tests.server.conftest import _start

    tmp = tmp_path_factory.mktemp("sync-srv")
    yield from _start(tmp, f"sqlite:///{tmp / 'data' / 'yishi-server.sqlite3'}", "sqlite")


@pytest.fixture(scope="session")
def room_a(srv) -> str:
    from server.services.rooms import room_by_code

    db = srv.db()
    try:
        return room_by_code(db, srv.room_a).id
    finally:
        db.close()
