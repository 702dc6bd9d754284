"""A template from typed components, sent through a context-managed client against the sandbox:
what `mypy --strict` users write (the test command type-checks this file and runs it)."""

from __future__ import annotations

import wabakit
from wabakit.components import Body, Buttons, Header, QuickReply


def main() -> None:
    template = wabakit.Template(
        name="typed_order",
        language="en_US",
        category="UTILITY",
        components=[
            Header(format="TEXT", text="Your order"),
            Body(text="Hi {{1}}, your order ships {{2}}.", example={"body_text": [["Ana", "today"]]}),
            Buttons(buttons=[QuickReply(text="Track")]),
        ],
    )
    with wabakit.Sandbox() as sandbox, wabakit.Client.from_dict(sandbox.config("meta")) as client:
        ref: wabakit.TemplateRef = client.create_template(template)
        info: wabakit.TemplateInfo = client.get_template(ref)
        assert client.validate(info) == []
        receipt = client.send({"to": "+86 136 0000 9759", "template": "typed_order", "language": "en_US",
                               "body": ["Ana", "today"], "client_ref": "typed-1"})
        print(f"{info.name} {info.status}; sent {receipt.message_id}")
        for result in client.send_many([{"to": "+86 136 0000 9759", "template": "no_such", "language": "en_US"}]):
            if result.error is not None:
                print(f"refused: {type(result.error).__name__} ({result.error.delivery})")


if __name__ == "__main__":
    main()
