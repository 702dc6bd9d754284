"""Bad input, bad config, bad credentials: clear exceptions, no secret shown."""

import json
import re
import time

import pytest

import wabakit

BAD = {
    "name": "Spring Sale", "language": "en_US", "category": "MARKETING",
    "components": [
        {"type": "BODY", "text": "{{1}}, get {{3}} off"},
        {"type": "FOOTER", "text": "Stop {{1}}"},
    ],
}


def test_several_faults_are_all_listed_with_their_paths():
    client = wabakit.Client.from_dict({"provider": "memory"})
    problems = client.validate(BAD)
    got = {(p.path, p.rule) for p in problems}
    assert ("name", "name.charset") in got
    assert ("components[0].text", "placeholder.sequence") in got
    assert ("components[1].text", "footer.variables") in got
    with pytest.raises(wabakit.ValidationError) as e:
        client.create_template(BAD)
    assert {(p.path, p.rule) for p in e.value.problems} == got
    assert isinstance(e.value, wabakit.WabaError) and e.value.retryable is False


def test_unknown_field_in_a_typed_template():
    with pytest.raises(wabakit.ValidationError) as e:
        wabakit.Template({**BAD, "colour": "red"})
    assert [str(p) for p in e.value.problems] == ["colour: unknown field (expected one of: category, category_change_paused, channel, components, language, message_send_ttl_seconds, name, parameter_format, viber_category) [parse.unknown_field]"]


def test_a_config_with_an_unknown_key_names_it():
    with pytest.raises(wabakit.ConfigError) as e:
        wabakit.Client.from_dict({"provider": "nxcloud", "access_key": "a", "access_secret": "s-SECRET",
                                  "app_key": "k", "business_phone": "86", "acess_key": "typo"})
    assert "acess_key: unknown field" in str(e.value)
    assert "SECRET" not in str(e.value)


def test_a_wrong_secret_raises_an_auth_error_with_the_providers_code():
    with wabakit.Sandbox() as sb:
        for provider, key, code in [("nxcloud", "access_secret", "1003"), ("alibaba", "access_key_secret", "SignatureDoesNotMatch")]:
            cfg = sb.config(provider)
            cfg[key] = "wrong-SECRET"
            client = wabakit.Client.from_dict(cfg)
            with pytest.raises(wabakit.AuthError) as e:
                client.list_templates()
            assert (e.value.provider, e.value.code) == (provider, code)
            assert "SECRET" not in str(e.value) and "SECRET" not in repr(e.value)


def test_repr_of_a_client_never_shows_a_secret():
    client = wabakit.Client.from_dict({"provider": "alibaba", "access_key_id": "LTAIvisible", "access_key_secret": "sk-SECRET",
                                       "security_token": "sts-SECRET", "cust_space_id": "c", "from": "65"})
    # Short and readable: the provider and the profile, no credential at all.
    assert repr(client) == "Client(provider='alibaba', profile='dict')"


def signed_nxcloud(body, ts):
    sig = wabakit.nxcloud.sign("ak", "hook", ts, 2, "dr", body)["sign"]
    return {"accesskey": "ak", "action": "dr", "biztype": "2", "ts": str(ts), "sign": sig}


def test_webhooks_parse_and_verify():
    body = b'{"statuses":[{"id":"m1","status":"delivered","timestamp":"1"}]}'
    now = int(time.time() * 1000)
    headers = signed_nxcloud(body, now)
    events = wabakit.webhooks.parse("nxcloud", headers, body, secret="hook")
    e = events[0]
    assert isinstance(e, wabakit.events.MessageStatus), e
    assert (e.provider, e.message_id, e.status, e.at) == ("nxcloud", "m1", "delivered", 1)
    assert e.to_dict()["event"] == "message_status" and e.raw["id"] == "m1"
    with pytest.raises(wabakit.AuthError):
        wabakit.webhooks.parse("nxcloud", headers, body.replace(b"delivered", b"read"), secret="hook")
    # Signed a year ago: a replay, refused unless any age is accepted; the window can widen.
    old = signed_nxcloud(body, now - 365 * 24 * 3600 * 1000)
    with pytest.raises(wabakit.AuthError, match="more than 60 s away"):
        wabakit.webhooks.parse("nxcloud", old, body, secret="hook")
    assert wabakit.webhooks.parse("nxcloud", old, body, secret="hook", max_age=None)
    late = signed_nxcloud(body, now - 120_000)
    assert wabakit.webhooks.parse("nxcloud", late, body, secret="hook", max_age=300)
    receipts = wabakit.webhooks.parse("alibaba", {}, '[{"TemplateCode":"t","Language":"en","AuditStatus":"pass"}]')
    t = receipts[0]
    assert isinstance(t, wabakit.events.TemplateStatus)
    # cams names a template by its TemplateCode, its id.
    assert (t.template_id, t.language, t.status) == ("t", "en", "APPROVED")
    inbound = wabakit.webhooks.parse("meta", {}, json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"},
        "messages": [{"from": "8613600000001", "id": "wamid.in", "timestamp": "5", "type": "text", "text": {"body": "hi"}}]}}]}]}))
    i = inbound[0]
    assert isinstance(i, wabakit.events.InboundMessage), inbound
    assert (i.sender, i.type, i.text, i.at) == ("8613600000001", "text", "hi", 5)
    assert i.to_dict()["from"] == "8613600000001" and i.to_dict()["kind"] == "text"


def test_webhooks_name_their_provider_through_the_registry():
    # The registry's names, in its order: every provider with a sandbox, then the in-memory one.
    with wabakit.Sandbox() as sb:
        known = ", ".join(sb.providers + ["memory"])
    with pytest.raises(ValueError, match=re.escape(f'unknown provider "twilio" (this build knows: {known})')):
        wabakit.webhooks.parse("twilio", {}, b"{}")
    # cams receipts carry no signature: a secret would verify nothing, and is refused.
    with pytest.raises(wabakit.ConfigError, match="carry no signature"):
        wabakit.webhooks.parse("alibaba", {}, b"[]", secret="s")


def test_the_sandbox_has_a_fake_per_provider_and_names_them():
    with wabakit.Sandbox() as sb:
        # Every compiled-in provider has a fake; the registry adds them with no change here.
        assert {"nxcloud", "alibaba"} <= set(sb.providers)
        for provider in sb.providers:
            client = wabakit.Client.from_dict(sb.config(provider))
            assert client.provider == provider
        assert sb.config("memory") == {"provider": "memory"}
        names = ", ".join(sb.providers)
        with pytest.raises(ValueError, match=re.escape(f'unknown provider "twilio" (sandboxes: {names})')):
            sb.config("twilio")


def test_a_panic_in_rust_becomes_a_waba_error_not_an_abort():
    # `_panic` is the native layer's hook for this test: a panic inside a client call, sync and
    # async. It comes back as the TransportError any failed call raises (a send may have left),
    # and the client goes on working.
    import asyncio

    def check(caught: "pytest.ExceptionInfo[wabakit.TransportError]") -> None:
        assert isinstance(caught.value, wabakit.WabaError)
        assert str(caught.value) == (
            "transport error: _panic: an internal error in wabakit (a panic: please report it)"
            " — the request may have been delivered"
        )
        assert caught.value.delivery == "may_have_been_delivered"

    client = wabakit.Client.from_dict({"provider": "memory"})
    with pytest.raises(wabakit.TransportError) as caught:
        client._native.run("_panic", ())
    check(caught)
    assert client.list_templates().items == []

    async def go() -> None:
        aclient = wabakit.AsyncClient.from_dict({"provider": "memory"})
        with pytest.raises(wabakit.TransportError) as caught:
            await aclient._native.arun("_panic", ())
        check(caught)
        assert (await aclient.list_templates()).items == []

    asyncio.run(go())


def test_a_document_nested_a_million_deep_is_a_validation_error_not_a_crash():
    deep: list = []
    for _ in range(1_000_000):
        deep = [deep]
    doc = {"name": "a_b", "language": "en_US", "category": "UTILITY",
           "components": [{"type": "BODY", "text": "Hi", "example": {"body_text": deep}}]}
    with pytest.raises(wabakit.ValidationError) as caught:
        wabakit.Client.from_dict({"provider": "memory"}).validate(doc)
    assert [(p.rule, p.path) for p in caught.value.problems] == [("parse.too_deep", "")]


def test_a_recipient_is_masked_in_errors_unless_shown():
    client = wabakit.Client.from_dict({"provider": "memory"})
    bad = {"to": "+86 139 1234 0001 ext", "template": "t", "language": "en_US"}
    with pytest.raises(wabakit.ValidationError) as caught:
        client.send(bad)
    assert '"+86 139 ****0001" is not a phone number' in str(caught.value)
    assert "1234" not in str(caught.value)
    wabakit.show_recipients(True)
    try:
        with pytest.raises(wabakit.ValidationError) as caught:
            client.send(bad)
        assert '"+86 139 1234 0001 ext" is not a phone number' in str(caught.value)
    finally:
        wabakit.show_recipients(False)
