"""The receipts server's Python apps under real servers on 127.0.0.1: the WSGI app under
wsgiref, the ASGI app under uvicorn. Signed Meta deliveries are kept once, in order of their
statuses, refused when forged; `on_event` sees what was committed; the store answers."""

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

import wabakit

SECRET = "py-receiver-secret"


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # the test's output stays readable
        pass


def config(tmp_path):
    path = tmp_path / "wabakit.toml"
    path.write_text(
        f"""
[store]
url = "sqlite://{tmp_path / 'w.db'}"

[profiles.wa]
provider = "meta"
access_token = "t"
waba_id = "102290129340398"
phone_number_id = "106540352242922"
app_secret = "{SECRET}"
verify_token = "vibecoding"
"""
    )
    return str(path)


def delivery(*statuses):
    body = {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
        "statuses": [{"id": i, "status": s, "timestamp": str(t), "recipient_id": "16505551234"} for i, s, t in statuses]}}]}]}
    return json.dumps(body).encode()


def sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def post(url, body, signature):
    req = urllib.request.Request(url, data=body, method="POST", headers={"content-type": "application/json"})
    if signature:
        req.add_header("X-Hub-Signature-256", signature)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def exercise(base, receiver, seen):
    url = f"{base}/callbacks/wa"
    body = delivery(("wamid.P", "read", 1750000020))
    assert post(url, body, sign(body)) == (200, "ok")
    assert post(url, body, sign(body)) == (200, "ok")  # a redelivery: kept once
    late = delivery(("wamid.P", "delivered", 1750000010))
    assert post(url, late, sign(late))[0] == 200
    forged = delivery(("wamid.P", "failed", 1750000030))
    assert post(url, forged, sign(b"other"))[0] == 403
    assert post(url, forged, None)[0] == 403
    assert get(f"{url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=vibecoding") == (200, "42")
    assert get(f"{url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=no")[0] == 403
    assert get(f"{base}/healthz") == (200, "ok")
    assert get(f"{base}/nothing")[0] == 404
    metrics = get(f"{base}/metrics")[1]
    assert 'wabakit_events_received_total{profile="wa"} 2' in metrics
    assert 'wabakit_events_duplicate_total{profile="wa"} 1' in metrics
    # The events the receiver committed, as on_event saw them (the redelivery included).
    assert [e.status for e in seen] == ["read", "read", "delivered"]
    assert all(isinstance(e, wabakit.events.MessageStatus) for e in seen)
    # The message was never sent through a client of this store: its events wait for it.
    record = receiver.store.report()
    assert record["total"] == 0


def test_the_wsgi_app_under_a_real_wsgi_server(tmp_path):
    seen = []
    receiver = wabakit.Receiver.from_config(config(tmp_path), on_event=seen.append)
    assert receiver.profiles == ["wa"]
    server = make_server("127.0.0.1", 0, receiver.wsgi, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        exercise(f"http://127.0.0.1:{server.server_port}", receiver, seen)
    finally:
        server.shutdown()


def test_the_asgi_app_under_uvicorn(tmp_path):
    uvicorn = pytest.importorskip("uvicorn")
    seen = []
    receiver = wabakit.Receiver.from_config(config(tmp_path), on_event=seen.append)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(receiver.asgi, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        exercise(f"http://127.0.0.1:{port}", receiver, seen)
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_store_reads_what_sends_and_callbacks_left(tmp_path):
    store = wabakit.Store.open(f"sqlite://{tmp_path / 's.db'}")
    assert store.history("nobody") is None
    assert store.report()["total"] == 0
    assert store.template("meta", "t", "en_US") is None
    assert repr(store).startswith("Store('sqlite://")
    with pytest.raises(wabakit.ConfigError, match="not a store URL"):
        wabakit.Store.open("mysql://x")


def test_every_sandbox_pushes_to_a_receiver_and_sends_are_recorded():
    holder = {}
    server = make_server("127.0.0.1", 0, lambda e, s: holder["r"].wsgi(e, s), handler_class=Quiet)
    base = f"http://127.0.0.1:{server.server_port}"
    with wabakit.Sandbox(instant_review=True, callbacks=base) as sb:
        holder["r"] = wabakit.Receiver.from_profiles({p: sb.config(p) for p in sb.providers}, store="sqlite::memory:")
        store = holder["r"].store
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for p in sb.providers:
                c = wabakit.Client.from_dict(sb.config(p), store=store)
                c.create_template({**TEMPLATE_FOR_PUSH, "name": "pushed"})
                c.send({"to": "+86 136 0000 9759", "template": "pushed", "language": "en_US", "body": ["Ana"], "client_ref": f"{p}-push"})
            deadline = time.monotonic() + 10
            def heard(p):
                h = store.history(f"{p}-push")
                t = store.template(p, "pushed", "en_US")
                return (h is not None and h["message"]["status"] in ("delivered", "read")
                        and t is not None and t["status"] == "APPROVED")

            for p in sb.providers:
                # Callbacks are posted as things happen, in no promised order: wait for both.
                while not heard(p):
                    assert time.monotonic() < deadline, f"{p}: the store did not hear of it"
                    time.sleep(0.01)
            assert store.report()["sent"] == len(sb.providers)
        finally:
            server.shutdown()


TEMPLATE_FOR_PUSH = {
    "name": "pushed", "language": "en_US", "category": "UTILITY",
    "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships today.", "example": {"body_text": [["Ana"]]}}],
}
