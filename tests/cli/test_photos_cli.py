"""``yishi photos`` and ``yishi sync`` as a user runs them: a photo added on one
PC by the topic's work-order number reaches a second PC of the room through the
real server, and bad input exits 2 with a message, changing nothing."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from tests.cli.conftest import Yishi
from tests.sync.helpers import enrollment_code, fresh_room


def test_a_photo_goes_from_one_pc_to_the_other(srv, tmp_path: Path):
    code, _ = fresh_room(srv)
    pc1, pc2 = Yishi(tmp_path / "pc1"), Yishi(tmp_path / "pc2")
    for pc in (pc1, pc2):
        out = pc("enroll", srv.base, enrollment_code(srv, code))
        assert out.returncode == 0, out.stderr
    from desktop.storage.db import Store
    from desktop.storage.services import topics

    s = Store(pc1.data_dir)
    topics.record_topic(s, title="桥头路灯不亮", source="hotline", ticket_no="12345-0042")
    s.close()
    data = b"\xff\xd8\xff\xe0" + random.Random(5).randbytes(120_000)
    photo = tmp_path / "桥头.jpg"
    photo.write_bytes(data)

    out = pc1("photos", "add", "12345-0042", str(tmp_path / "没有.jpg"))
    assert out.returncode == 2 and "找不到文件" in out.stderr
    out = pc1("photos", "add", "12345-0042", str(photo))
    assert out.returncode == 0 and "桥头.jpg" in out.stdout, out.stderr
    assert pc1("sync").returncode == 0
    assert pc2("sync").returncode == 0

    [item] = pc2.json("photos", "list", "12345-0042")
    assert item["filename"] == "桥头.jpg" and item["sha256"] == hashlib.sha256(data).hexdigest()
    assert Path(item["path"]).read_bytes() == data
