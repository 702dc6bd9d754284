"""The Python quickstart: on each provider's fake server, create a template, see it rejected,
fix and resubmit it, see it approved, and send a message. The same code for every provider:
only the profile changes.

    pip install ./bindings/python && python examples/python_quickstart.py
"""

from __future__ import annotations

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


def main() -> None:
    with wabakit.Sandbox(instant_review=False) as sandbox:
        for provider in sandbox.providers:
            client = wabakit.Client.from_dict(sandbox.config(provider))
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


if __name__ == "__main__":
    main()
