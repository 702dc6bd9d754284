"""With a `[store]`, a memory profile's templates outlive the client (the process) that made
them, as across command-line calls: a later client sends with them, and a deleted one is gone
for the clients after."""

import pytest

import wabakit

TEMPLATE = {
    "name": "kept_note", "language": "en_US", "category": "UTILITY",
    "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships today.", "example": {"body_text": [["Ana"]]}}],
}
MESSAGE = {"to": "+8613600000001", "template": "kept_note", "language": "en_US", "body": ["Ana"]}


def test_a_memory_profile_keeps_its_templates_in_the_store(tmp_path):
    config = tmp_path / "wabakit.toml"
    config.write_text(
        f'[store]\nurl = "sqlite://{tmp_path / "w.db"}"\n\n[profiles.local]\nprovider = "memory"\n'
    )
    with wabakit.Client.from_config(str(config), "local") as first:
        first.create_template(TEMPLATE)
    with wabakit.Client.from_config(str(config), "local") as later:
        assert later.send(MESSAGE).message_id
        # Checked against the kept copy: one value short is refused.
        with pytest.raises(wabakit.ValidationError):
            later.send({**MESSAGE, "body": []})
        later.delete_template("kept_note", language="en_US")
    with wabakit.Client.from_config(str(config), "local") as last:
        with pytest.raises(wabakit.NotFoundError):
            last.send(MESSAGE)
    # Without a store, a template lives as long as its client.
    plain = tmp_path / "plain.toml"
    plain.write_text('[profiles.local]\nprovider = "memory"\n')
    with wabakit.Client.from_config(str(plain), "local") as first:
        first.create_template(TEMPLATE)
    with wabakit.Client.from_config(str(plain), "local") as later:
        with pytest.raises(wabakit.NotFoundError):
            later.send(MESSAGE)
