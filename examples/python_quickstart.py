"""The Python quickstart: on each provider's fake server, create a template, see it rejected,
fix and resubmit it, see it approved, and send a message. The same code for every provider:
only the profile changes. The fakes push their callbacks to a receipts server on 127.0.0.1
(wabakit's WSGI app under the standard library's server), which keeps them in a message store;
the quickstart ends with the store's report.

    pip install ./bindings/python && python examples/python_quickstart.py
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, Iterable, List
from wsgiref.simple_server import WSGIRequestHandler, make_server

import wabakit

TEMPLATE = {
    "name": "order_update",
    "language": "en_US",
    "category": "UTILITY",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Your order"},
        {"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
        {"type": "FOOTER", "text": "Reply STOP to opt out"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"}]},
    ],
}


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def delivered(store: wabakit.Store, client_ref: str) -> bool:
    h = store.history(client_ref)
    return h is not None and h["message"]["status"] in ("delivered", "read")


def main() -> None:
    # The receiver's address first: each fake is told where its profile's endpoint is.
    receiver: Dict[str, wabakit.Receiver] = {}

    def app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return receiver["app"].wsgi(environ, start_response)

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    base = f"http://127.0.0.1:{server.server_port}"
    with wabakit.Sandbox(instant_review=False, callbacks=base) as sandbox:
        receiver["app"] = wabakit.Receiver.from_profiles(
            {p: sandbox.config(p) for p in sandbox.providers}, store="sqlite::memory:"
        )
        store = receiver["app"].store
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"[receiver] listening on {base}/callbacks/{{profile}}")
        sent: List[str] = []
        for provider in sandbox.providers:
            client = wabakit.Client.from_dict(sandbox.config(provider), store=store)
            template = wabakit.Template(TEMPLATE)
            print(f"[{provider}] validate: {len(client.validate(template))} problem(s)")
            ref = client.create_template(template)
            print(f"[{provider}] create: id {ref.id}, status {ref.status}")
            sandbox.reject(provider, template.name, template.language)
            info = client.get_template(template.name, template.language)
            print(f"[{provider}] review: {info.status} ({info.reason})")
            fixed = {**TEMPLATE, "components": [*TEMPLATE["components"][:2], {"type": "FOOTER", "text": "Reply STOP to unsubscribe"}, TEMPLATE["components"][3]]}
            assert ref.id is not None
            client.update_template(ref.id, fixed)
            sandbox.approve(provider, template.name, template.language)
            print(f"[{provider}] resubmitted; review: {client.get_template(id=ref.id).status}")
            receipt = client.send(
                wabakit.TemplateMessage(
                    {"to": "+86 136 0000 9759", "template": "order_update", "language": "en_US", "body": ["Ana", "today"], "client_ref": f"{provider}-1"}
                )
            )
            print(f"[{provider}] send: message id {receipt.message_id}")
            sent.append(f"{provider}-1")
        # The fakes post as things happen; wait (at most 10 s) until the store has every delivery.
        deadline = time.monotonic() + 10
        while not all(delivered(store, r) for r in sent):
            if time.monotonic() > deadline:
                raise SystemExit("the receiver did not hear of every delivery within 10 s")
            time.sleep(0.01)
        report = store.report()
        print(f"[report] {report['sent']} messages sent, {report['delivered']} delivered, {len(report['failures'])} failure kinds")
        server.shutdown()


if __name__ == "__main__":
    main()
