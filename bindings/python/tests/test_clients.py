"""Against the Sandbox, for every provider: one script, the provider chosen by profile only."""

import asyncio
import inspect
import threading
import time

import pytest

import wabakit

TEMPLATE = {
    "name": "order_update", "language": "en_US", "category": "UTILITY",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Your order"},
        {"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Track"}]},
    ],
}


def message(i: int = 0) -> dict:
    return {"to": "+86 136 0000 9759", "template": "order_update", "language": "en_US", "body": ["Ana", "today"], "client_ref": f"py-{i}"}


@pytest.fixture(scope="module")
def sandbox():
    with wabakit.Sandbox(instant_review=False) as sb:
        yield sb


@pytest.mark.parametrize("provider", ["nxcloud", "alibaba", "meta"])
def test_template_lifecycle_and_send(sandbox, provider):
    client = wabakit.Client.from_dict(sandbox.config(provider))
    assert client.provider == provider
    name = f"life_{provider}"
    tpl = wabakit.Template({**TEMPLATE, "name": name})
    assert client.validate(tpl) == []
    ref = client.create_template(tpl)
    assert (ref.state, ref.status) == ("created", "PENDING") and ref.id
    assert sandbox.reject(provider, name, "en_US")
    info = client.get_template(name, "en_US")
    assert (info.status, info.reason) == ("REJECTED", "INVALID_FORMAT")
    edited = dict(TEMPLATE, name=name)
    edited["components"] = [dict(c) for c in TEMPLATE["components"]]
    edited["components"][0] = {"type": "HEADER", "format": "TEXT", "text": "Your parcel"}
    updated = client.update_template(ref.id, edited)
    assert (updated.state, updated.status, updated.id) == ("updated", "PENDING", ref.id)
    # cams and Meta name every request; the support desk asks for the RequestId / trace id.
    assert (updated.request_id is not None) == (provider in ("alibaba", "meta"))
    assert sandbox.approve(provider, name, "en_US")
    assert client.get_template(id=ref.id).status == "APPROVED"
    page = client.list_templates(name=name)
    assert [i.name for i in page.items] == [name]
    receipt = client.send(wabakit.TemplateMessage({**message(1), "template": name}))
    assert receipt.message_id and receipt.client_ref == "py-1"
    assert receipt.to_dict()["message_id"] == receipt.message_id
    req = client.render("send", {**message(2), "template": name}, ts=1718000000000, nonce="0" * 32)
    # NXCloud sends a JSON body; cams puts a send's parameters in the query.
    assert req.method == "POST" and "py-2" in req.url + req.body
    client.delete_template(id=ref.id)
    with pytest.raises(wabakit.NotFoundError):
        client.get_template(name, "en_US")


def test_send_many_ten_thousand():
    with wabakit.Sandbox(instant_review=True) as sb:
        client = wabakit.Client.from_dict(sb.config("nxcloud"))
        client.create_template(TEMPLATE)
        results = client.send_all((message(i) for i in range(10_000)), concurrency=64)
        assert len(results) == 10_000
        assert [r.index for r in results] == list(range(10_000))
        assert all(r.ok for r in results)
        assert len({r.message_id for r in results}) == 10_000
        # Streaming: every message once, each result naming its input position and client_ref.
        streamed = list(client.send_many((message(i) for i in range(10_000, 20_000)), concurrency=64))
        assert sorted(r.index for r in streamed) == list(range(10_000))
        assert all(r.ok and r.client_ref == f"py-{10_000 + r.index}" for r in streamed)


def test_send_many_takes_input_lazily_and_a_break_says_what_became_of_the_sends_under_way():
    with wabakit.Sandbox(instant_review=True) as sb:
        client = wabakit.Client.from_dict(sb.config("meta"))
        client.create_template(TEMPLATE)
        taken = []

        def rows():
            for i in range(1_000_000):
                taken.append(i)
                yield message(i) if i != 3 else {**message(i), "to": "not-a-number"}

        with client.send_many(rows(), concurrency=8) as results:
            first = []
            for r in results:
                first.append(r)
                if len(first) == 20:
                    break
        # Taken ahead of the results handed back: at most the sends under way (8) and the
        # results already in but not yet handed back (at most as many): input is not read ahead.
        assert len(taken) <= 20 + 2 * 8, len(taken)
        handed = {r.index for r in first} | {r.index for r in results.unfinished}
        assert handed == set(range(len(taken))), "every message taken has a result, once"
        bad = [r for r in first + results.unfinished if r.index == 3]
        assert len(bad) == 1 and not bad[0].ok and isinstance(bad[0].error, wabakit.ValidationError)
        assert list(results) == [], "a closed stream yields nothing more"

    async def run():
        async with wabakit.AsyncClient.from_dict(sb2.config("meta")) as c:
            await c.create_template(TEMPLATE)
            got = []
            # A recipient each: Meta's pair limit would hold back a run to one number.
            rows = ({**message(i), "to": f"+86 136 0000 {i:04}"} for i in range(100))
            async for r in c.send_many(rows, concurrency=8):
                got.append(r)
            # Leaving early inside `async with`: the same rule as the sync stream.
            taken = []

            def endless():
                for i in range(1_000_000):
                    taken.append(i)
                    yield {**message(i), "to": f"+86 137 {i:07}"} if i != 3 else {**message(i), "to": "x"}

            async with c.send_many(endless(), concurrency=8) as stream:
                first = []
                async for r in stream:
                    first.append(r)
                    if len(first) == 20:
                        break
            assert len(taken) <= 20 + 2 * 8, len(taken)
            handed = [r.index for r in first] + [r.index for r in stream.unfinished]
            assert sorted(handed) == list(range(len(taken))), "every message taken has a result, once"
            bad = [r for r in first + stream.unfinished if r.index == 3]
            assert len(bad) == 1 and isinstance(bad[0].error, wabakit.ValidationError)
            assert [r async for r in stream] == [], "a closed stream yields nothing more"
            return got

    with wabakit.Sandbox(instant_review=True) as sb2:
        got = asyncio.run(run())
    assert sorted(r.index for r in got) == list(range(100)) and all(r.ok for r in got)


def test_async_client_many_concurrent_calls():
    with wabakit.Sandbox(instant_review=True) as sb:
        client = wabakit.AsyncClient.from_dict(sb.config("alibaba"))

        async def main():
            await client.create_template(TEMPLATE)
            receipts = await asyncio.gather(*(client.send(message(i)) for i in range(200)))
            return receipts

        receipts = asyncio.run(main())
        assert len({r.message_id for r in receipts}) == 200


def test_sync_calls_release_the_gil():
    with wabakit.Sandbox(instant_review=True) as sb:
        client = wabakit.Client.from_dict(sb.config("nxcloud"))
        client.create_template(TEMPLATE)
        ticks = []
        done = threading.Event()

        def count():
            while not done.is_set():
                ticks.append(1)
                time.sleep(0.001)

        t = threading.Thread(target=count)
        t.start()
        before = len(ticks)
        client.send_all((message(i) for i in range(3_000)), concurrency=8)
        during = len(ticks) - before
        done.set()
        t.join()
        assert during > 5, "another Python thread ran while the client waited"


def test_sync_and_async_clients_have_the_same_methods():
    def public(cls):
        return {n: inspect.signature(getattr(cls, n)) for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}

    sync, asyn = public(wabakit.Client), public(wabakit.AsyncClient)
    assert sync.keys() == asyn.keys()
    for name in sync:
        # The same parameters; the streams differ in kind (an iterator, an async iterator).
        a, b = sync[name], asyn[name]
        if name in ("send_many", "iter_templates"):
            a, b = a.replace(return_annotation=inspect.Signature.empty), b.replace(return_annotation=inspect.Signature.empty)
        assert str(a).replace("coroutine", "") == str(b).replace("coroutine", ""), name
        assert getattr(wabakit.Client, name).__doc__, f"Client.{name} has no docstring"
    for name in ["from_config", "from_dict", "validate", "create_template", "update_template", "get_template",
                 "list_templates", "delete_template", "send", "send_many", "send_all", "render"]:
        assert name in sync


def test_a_sandbox_profile_with_a_tenant_sends_to_the_fake(sandbox):
    """One `endpoint` covers every NXCloud host: the SAAS send (tenant_id) goes to the sandbox too."""
    client = wabakit.Client.from_dict({**sandbox.config("nxcloud"), "tenant_id": 7})
    client.create_template({**TEMPLATE, "name": "saas_sandbox"})
    assert sandbox.approve("nxcloud", "saas_sandbox", "en_US")
    receipt = client.send({**message(9), "template": "saas_sandbox"})
    assert receipt.message_id and receipt.request_id
    req = client.render("send", {**message(10), "template": "saas_sandbox"}, ts=1718000000000, nonce="0" * 32)
    assert req.url.startswith("http://127.0.0.1:") and req.url.endswith("/saas/wa/send")


@pytest.mark.parametrize("provider", ["nxcloud", "alibaba", "meta"])
def test_what_one_call_returns_fits_the_next(sandbox, provider):
    """A TemplateRef or a TemplateInfo goes wherever a template id or name goes."""
    client = wabakit.Client.from_dict(sandbox.config(provider))
    name = f"fits_{provider}"
    ref = client.create_template({**TEMPLATE, "name": name})
    assert sandbox.reject(provider, name, "en_US")
    info = client.get_template(ref)
    assert (info.id, info.status) == (ref.id, "REJECTED")
    assert client.validate(info) == []
    edited = {**TEMPLATE, "name": name, "components": [
        {"type": "BODY", "text": "Hi {{1}}, your parcel ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
    ]}
    assert client.update_template(ref, edited).id == ref.id
    # Pending review again; rejected again, it can be edited through the TemplateInfo too.
    assert sandbox.reject(provider, name, "en_US")
    assert client.update_template(info, edited).id == ref.id
    assert client.get_template(info).name == name
    client.delete_template(ref)
    with pytest.raises(wabakit.NotFoundError):
        client.get_template(ref)
    with pytest.raises(TypeError, match="alone"):
        client.get_template(ref, "en_US")
    pending = wabakit.TemplateRef(name=name, language="en_US", state="pending", request_id="r-1")
    with pytest.raises(ValueError, match="has no id yet"):
        client.update_template(pending, edited)


def test_pages_iterate_and_iter_templates_walks_every_page(sandbox):
    client = wabakit.Client.from_dict(sandbox.config("meta"))
    names = {f"walk_{i}" for i in range(5)}
    for n in sorted(names):
        client.create_template({**TEMPLATE, "name": n})
    page = client.list_templates(limit=2)
    assert len(page) == len(list(page)) == len(page.items) == 2 and page.next
    seen = [t.name for t in client.iter_templates(page_size=2)]
    assert names <= set(seen) and len(seen) == len(set(seen))

    async def walk():
        async with wabakit.AsyncClient.from_dict(sandbox.config("meta")) as c:
            return [t.name async for t in c.iter_templates(page_size=2)]

    assert asyncio.run(walk()) == seen


YAML = """
name: order_update
language: en_US
category: UTILITY
components:
  - type: BODY
    text: "Hi {{1}}, your order ships {{2}}."
    example: {body_text: [[Ana, today]]}
"""


def test_templates_and_messages_read_from_text_and_files(tmp_path):
    t = wabakit.Template.from_yaml(YAML)
    assert (t.name, t.language) == ("order_update", "en_US")
    import json

    assert wabakit.Template.from_json(json.dumps(t.to_dict())) == t
    toml = 'name = "order_update"\nlanguage = "en_US"\ncategory = "UTILITY"\n[[components]]\ntype = "BODY"\ntext = "Hi {{1}}, your order ships {{2}}."\nexample = { body_text = [["Ana", "today"]] }\n'
    assert wabakit.Template.from_toml(toml) == t
    f = tmp_path / "t.yml"
    f.write_text(YAML)
    assert wabakit.Template.from_file(f) == t
    with pytest.raises(ValueError, match="extension names no format"):
        wabakit.Template.from_file(tmp_path / "t.txt")
    with pytest.raises(wabakit.ValidationError) as e:
        wabakit.Template.from_yaml("name: x\nlanguage: en_US\ncategory: NEWS\ncomponents: []\n")
    assert any(p.path == "category" for p in e.value.problems), e.value.problems
    m = wabakit.TemplateMessage.from_yaml("to: '+86 136 0000 9759'\ntemplate: order_update\nlanguage: en_US\nbody: [Ana, today]\n")
    assert m.to_dict()["body"] == ["Ana", "today"]


def test_send_results_carry_the_exception_a_send_would_raise(sandbox):
    client = wabakit.Client.from_dict(sandbox.config("meta"))
    results = client.send_all([{**message(0), "template": "no_such_template"}])
    err = results[0].error
    assert not results[0].ok and isinstance(err, wabakit.WabaError), err
    with pytest.raises(type(err)):
        client.send({**message(0), "template": "no_such_template"})
    assert results[0].to_dict()["error"]["kind"] == err.kind
    assert issubclass(wabakit.TimeoutError, TimeoutError) and issubclass(wabakit.TimeoutError, wabakit.TransportError)


def test_clients_are_context_managers_and_refuse_calls_once_closed(sandbox):
    with wabakit.Client.from_dict(sandbox.config("nxcloud")) as client:
        assert repr(client) == f"Client(provider='nxcloud', profile={client.profile!r})"
        assert client.validate({**TEMPLATE, "name": "ctx"}) == []
    assert client.closed and repr(client) == "Client(closed)"
    with pytest.raises(ValueError, match="this Client is closed"):
        client.send(message(0))
    client.close()

    async def run():
        async with wabakit.AsyncClient.from_dict(sandbox.config("meta")) as c:
            assert not c.closed
        with pytest.raises(ValueError, match="this AsyncClient is closed"):
            await c.send(message(0))

    asyncio.run(run())


def test_from_env_builds_a_profile_from_wabakit_variables(monkeypatch):
    import os

    for k in list(os.environ):
        if k.startswith("WABAKIT_"):
            monkeypatch.delenv(k)
    with pytest.raises(wabakit.ConfigError, match="no WABAKIT_CONFIG"):
        wabakit.Client.from_env()
    monkeypatch.setenv("WABAKIT_PROVIDER", "memory")
    client = wabakit.Client.from_env()
    assert isinstance(client, wabakit.Client) and client.provider == "memory"
