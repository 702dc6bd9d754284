"""Documents cross into Rust as JSON: plain dicts, lists, tuples, strings, numbers, booleans and
None read directly; other mappings and sequences as pythonize reads them. Each spelling of one
document gives the same result."""

import json
from collections import OrderedDict
from types import MappingProxyType

import pytest

import wabakit
from wabakit import _native

MESSAGE = {"to": "8613900000000", "template": "summer_sale", "language": "en",
           "body": ["Tom", "ORDER-1"], "client_ref": "task-1", "header": None}
TEMPLATE = {
    "name": "summer_sale", "language": "en_US", "category": "MARKETING", "category_change_paused": True,
    "message_send_ttl_seconds": 600,
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Sale"},
        {"type": "BODY", "text": "Hi {{1}}, get {{2}} off", "example": {"body_text": [["Tom", "50%"]]}},
    ],
}


def test_every_spelling_of_a_message_reads_the_same():
    want = _native.parse_message(MESSAGE)
    assert want["body"] == ["Tom", "ORDER-1"] and "header" not in want
    for doc in [
        {**MESSAGE, "body": ("Tom", "ORDER-1")},
        OrderedDict(MESSAGE),
        MappingProxyType(dict(MESSAGE)),
    ]:
        assert _native.parse_message(doc) == want, doc


def test_booleans_stay_booleans_and_numbers_numbers():
    got = _native.parse_template(TEMPLATE)
    assert got["category_change_paused"] is True
    assert got["message_send_ttl_seconds"] == 600
    assert _native.parse_template({**TEMPLATE, "components": tuple(TEMPLATE["components"])}) == got


def test_a_wrong_type_is_a_validation_error_with_its_path():
    with pytest.raises(wabakit.ValidationError) as e:
        _native.parse_template({**TEMPLATE, "category_change_paused": "yes"})
    assert [p.path for p in e.value.problems] == ["category_change_paused"]
    with pytest.raises(wabakit.ValidationError) as e:
        _native.parse_message({**MESSAGE, "body": ("Tom", None)})
    assert [str(p) for p in e.value.problems] == ["body[1]: expected a string, found null [parse.wrong_type]"]


def test_keys_that_are_not_strings_are_refused_not_dropped():
    with pytest.raises(TypeError, match="'int' object is not an instance of 'str'"):
        _native.parse_message({**MESSAGE, 7: "x"})


def test_typed_components_give_the_same_template_as_dicts():
    from wabakit.components import Body, Buttons, Card, Carousel, Footer, Header, QuickReply, Url

    typed = wabakit.Template(
        name="typed", language="en_US", category="MARKETING",
        components=[
            Header(format="TEXT", text="Sale"),
            Body(text="Hi {{1}}", example={"body_text": [["Tom"]]}),
            Footer(text="Reply STOP to opt out"),
            Buttons(buttons=[QuickReply(text="Stop", is_opt_out=True), {"type": "URL", "text": "Open", "url": "https://x.example"}]),
        ],
    )
    plain = wabakit.Template({
        "name": "typed", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Sale"},
            {"type": "BODY", "text": "Hi {{1}}", "example": {"body_text": [["Tom"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop", "is_opt_out": True},
                                            {"type": "URL", "text": "Open", "url": "https://x.example"}]},
        ],
    })
    assert typed == plain
    assert Url(text="Open", url="https://x.example/{{1}}", example=["a"]).to_dict() == {
        "type": "URL", "text": "Open", "url": "https://x.example/{{1}}", "example": ["a"]}
    card = Card(components=[Header(format="IMAGE", example={"header_handle": ["h"]}), Body(text="Card {{1}}", example={"body_text": [["1"]]}),
                            Buttons(buttons=[QuickReply(text="Buy")])])
    assert Carousel(cards=[card]).to_dict()["cards"][0]["components"][2] == {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy"}]}
    # A problem in a typed component has its path, as in a dict.
    with pytest.raises(wabakit.ValidationError) as e:
        wabakit.Template(name="typed", language="en_US", category="UTILITY",
                         components=[Body(text="Hi"), Header(format="GIF")])
    assert any(p.path.startswith("components[1].format") for p in e.value.problems), e.value.problems


def test_currency_and_date_time_body_values_cross_as_dicts():
    """A typed body value is a dict with its `type` (Meta spec §3): read back the same, sent by
    Meta as its parameter object, and unsupported on NXCloud at its path."""
    currency = {"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}
    date = {"type": "date_time", "fallback_value": "February 25, 1977"}
    doc = {**MESSAGE, "body": [currency, date]}
    assert _native.parse_message(doc)["body"] == [currency, date]
    with wabakit.Sandbox() as sandbox:
        meta = wabakit.Client.from_dict(sandbox.config("meta"))
        nxcloud = wabakit.Client.from_dict(sandbox.config("nxcloud"))
    sent = json.loads(meta.render("send", doc).body)
    assert sent["template"]["components"][0]["parameters"] == [
        {"type": "currency", "currency": {k: v for k, v in currency.items() if k != "type"}},
        {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}},
    ]
    with pytest.raises(wabakit.UnsupportedError) as e:
        nxcloud.render("send", doc)
    assert [p.path for p in e.value.problems] == ["body[0]", "body[1]"]
    with pytest.raises(wabakit.ValidationError) as e:
        _native.parse_message({**MESSAGE, "body": [{**currency, "amount_1000": "lots"}]})
    assert [str(p.path) for p in e.value.problems] == ["body[0].amount_1000"]


def test_typed_body_values_are_the_dicts_they_stand_for():
    from wabakit.components import Currency, DateTime

    currency = Currency("$100.99", "USD", 100990)
    assert currency.to_dict() == {"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}
    typed = {**MESSAGE, "body": ["Tom", currency], "cards": [{"body": {"day": DateTime("May 1")}}]}
    plain = {**MESSAGE, "body": ["Tom", currency.to_dict()],
             "cards": [{"body": {"day": {"type": "date_time", "fallback_value": "May 1"}}}]}
    assert wabakit.TemplateMessage(typed).to_dict() == wabakit.TemplateMessage(plain).to_dict()
    with wabakit.Sandbox() as sandbox:
        meta = wabakit.Client.from_dict(sandbox.config("meta"))
    assert meta.render("send", typed).body == meta.render("send", plain).body
