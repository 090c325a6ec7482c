"""The watch-list an administrator imports: digests only, all or nothing."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from tests.onboarding.builders import STAFF_ACTOR
from workstation.extensions import db
from workstation.onboarding.models import WatchlistEntry
from workstation.onboarding.screening import watchlist_facts
from workstation.onboarding.watchlist import id_digest, import_watchlist

LISTED = "11010119900101001X"
CSV = f"name,id_number,list\nLi  Ming,{LISTED},sanctions\nZhou Lan,,pep\n".encode()


def upload(client, content: bytes, name: str = "list.csv"):
    return client.post("/onboarding/watchlist", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def test_admin_imports_a_list_kept_without_id_numbers_in_clear(app, client, world, sign_in):
    sign_in(world.staff["admin"])
    response = upload(client, CSV)
    assert response.status_code == 302
    page = client.get("/onboarding/watchlist").get_data(as_text=True)
    assert "2 entries on the list" in page and "list.csv" in page
    with app.app_context():
        rows = db.session.execute(select(WatchlistEntry.name_key, WatchlistEntry.id_digest,
                                         WatchlistEntry.list_name)).all()
        assert LISTED not in repr(rows)
        assert ("liming", id_digest(LISTED), "sanctions") in rows
        assert watchlist_facts("LI MING", id_digest(LISTED))["list_id_and_name"]
        assert watchlist_facts("Zhou Lan", id_digest("x"))["list_name_only"]


def test_a_bad_file_is_refused_and_the_old_list_stays(app, client, world, sign_in):
    with app.app_context():
        import_watchlist(STAFF_ACTOR, "old.csv", CSV)
    sign_in(world.staff["admin"])
    for content, message in [(b"who,what\nx,y\n", "name the columns"),
                             (b"\xff\xfe\x00bad", "UTF-8"),
                             (b"name,id_number\n,123\n", "no name"),
                             (b"name,id_number\n", "no entries")]:
        response = upload(client, content)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(WatchlistEntry.id))) == 2


def test_only_an_administrator_imports(app, client, world, sign_in):
    sign_in(world.staff["supervisor"])
    assert client.get("/onboarding/watchlist").status_code == 200
    assert upload(client, CSV).status_code == 422
    client.post("/auth/logout")
    sign_in(world.staff["agent"])
    assert client.get("/onboarding/watchlist").status_code == 403


def test_the_command_line_imports_a_file_and_refuses_a_bad_one(app, runner, tmp_path):
    good, bad = tmp_path / "list.csv", tmp_path / "bad.csv"
    good.write_bytes(CSV)
    bad.write_text("nothing useful\n")
    result = runner.invoke(args=["onboarding", "import-watchlist", str(good)])
    assert result.exit_code == 0 and "imported 2 watch-list entries" in result.output
    refused = runner.invoke(args=["onboarding", "import-watchlist", str(bad)])
    assert refused.exit_code != 0 and "name the columns" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count(WatchlistEntry.id))) == 2
