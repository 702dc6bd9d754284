"""`wabakit.Campaign`: a campaign created from Python rows, sent by two workers at once against a
sandbox (every row once), on SQLite and, when the test cluster is there, on PostgreSQL; pause,
cancel and retry of uncertain rows; what a wrong call says."""

import os
import threading
import urllib.parse
import uuid

import pytest

import wabakit

TEMPLATE = {
    "name": "spring_note", "language": "en_US", "category": "UTILITY",
    "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships today.", "example": {"body_text": [["Ana"]]}}],
}


def store_urls(tmp_path):
    urls = [f"sqlite://{tmp_path / 'c.db'}"]
    base = os.environ.get("WABAKIT_TEST_POSTGRES")
    if base:
        # A database of its own on the test cluster.
        import subprocess
        name = f"py_{uuid.uuid4().hex[:12]}"
        subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {name}"], check=True)
        parts = urllib.parse.urlsplit(base)
        urls.append(urllib.parse.urlunsplit(parts._replace(path=f"/{name}")))
    elif os.environ.get("WABAKIT_REQUIRE_POSTGRES"):
        pytest.fail("WABAKIT_REQUIRE_POSTGRES is set but WABAKIT_TEST_POSTGRES is not")
    return urls


def test_two_workers_send_every_row_once(tmp_path):
    with wabakit.Sandbox(instant_review=True) as sb:
        profile = dict(sb.config("meta"))
        wabakit.Client.from_dict(profile).create_template(TEMPLATE)
        for url in store_urls(tmp_path):
            store = wabakit.Store.open(url)
            rows = [{"to": f"+8613{i:09d}", "body": ["Ana"], "client_ref": f"spring-{i}"} for i in range(300)]
            c = wabakit.Campaign.create(store, "spring", "meta", profile, rows, "spring_note", "en_US")
            assert c.last_load["added"] == 300
            again = wabakit.Campaign.create(store, "spring", "meta", profile, rows, "spring_note", "en_US")
            assert (again.last_load["added"], again.last_load["already"]) == (0, 300)
            results = []
            workers = [
                threading.Thread(target=lambda: results.append(c.run(profile, concurrency=8, rate=0)))
                for _ in range(2)
            ]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            assert sum(r["sent"] for r in results) == 300, (url, results)
            st = c.status()
            assert (st["total"], st["sent"], st["pending"], st["started"]) == (300, 300, 0, 0), url
            assert store.report(campaign="spring")["total"] == 300
            assert store.history("spring-7")["message"]["campaign"] == "spring"


def test_pause_cancel_and_what_a_wrong_call_says(tmp_path):
    store = wabakit.Store.open(f"sqlite://{tmp_path / 'p.db'}")
    profile = {"provider": "memory"}
    rows = [{"to": "+8613900000000", "body": ["Ana"]}, {"to": ["not", "a", "number"]}]
    c = wabakit.Campaign.create(store, "autumn", "local", profile, rows, "spring_note", "en_US")
    assert c.last_load["added"] == 1
    assert c.last_load["invalid"][0][0] == 2
    c.pause()
    assert c.run(profile, rate=0)["stopped"] is True
    assert c.status()["pending"] == 1
    c.cancel()
    assert c.status()["cancelled"] == 1
    with pytest.raises(wabakit.ValidationError, match="is cancelled"):
        c.resume()
    with pytest.raises(wabakit.ValidationError, match="is cancelled"):
        c.retry_uncertain()
    with pytest.raises(wabakit.NotFoundError, match="no campaign"):
        wabakit.Campaign(store, "winter").status()
    with pytest.raises(wabakit.ValidationError, match="campaign name"):
        wabakit.Campaign.create(store, "no spaces", "local", profile, rows, "spring_note", "en_US")
