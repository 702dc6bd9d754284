//! Messages: reading (paths, lenient number/coordinate forms) and checking against a template.

use serde_json::{json, Value};
use wabakit_core::*;

fn template() -> Template {
    Template::from_value(&json!({
        "name": "order_update", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4:aGk="]}},
            {"type": "BODY", "text": "Hi {{1}}, it ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Open", "url": "https://shop.example/o/{{1}}", "example": ["https://shop.example/o/1"]},
                {"type": "QUICK_REPLY", "text": "Stop"}
            ]}
        ]
    }))
    .unwrap()
}

fn good() -> Value {
    json!({
        "to": "+86 136 0000 9759", "template": "order_update", "language": "en_US",
        "header": {"type": "image", "link": "https://cdn.example/p.png"},
        "body": ["Ana", "today"],
        "buttons": [{"index": 0, "type": "url", "text": "1234"}],
        "client_ref": "order-1234"
    })
}

fn problems(doc: Value) -> Vec<(String, String)> {
    let m = TemplateMessage::from_value(&doc).unwrap_or_else(|p| panic!("{p:?}"));
    validate_message(&m, Some(&template()))
        .into_iter()
        .map(|p| (p.rule.to_owned(), p.path))
        .collect()
}

fn with(patch: &[(&str, Value)]) -> Value {
    let mut v = good();
    for (k, val) in patch {
        if val.is_null() {
            v.as_object_mut().unwrap().remove(*k);
        } else {
            v[*k] = val.clone();
        }
    }
    v
}

#[test]
fn a_good_message_has_no_problems_and_round_trips() {
    assert_eq!(problems(good()), vec![]);
    let m = TemplateMessage::from_value(&good()).unwrap();
    assert_eq!(TemplateMessage::from_value(&m.to_value()).unwrap(), m);
}

#[test]
fn message_problems_name_rule_and_path() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (with(&[("to", json!("call me"))]), "message.to", "to"),
        (with(&[("to", json!("+1 23"))]), "message.to", "to"),
        (
            with(&[("language", json!("en_GB"))]),
            "message.language",
            "language",
        ),
        (with(&[("header", Value::Null)]), "message.header", "header"),
        (
            with(&[(
                "header",
                json!({"type": "video", "link": "https://cdn.example/v.mp4"}),
            )]),
            "message.header",
            "header.type",
        ),
        (
            with(&[(
                "header",
                json!({"type": "image", "link": "cdn.example/p.png"}),
            )]),
            "message.media.link",
            "header.link",
        ),
        (with(&[("body", json!(["Ana"]))]), "message.body", "body"),
        (
            with(&[("body", json!({"name": "Ana"}))]),
            "message.body",
            "body",
        ),
        (
            with(&[("body", json!(["Ana", "to\nday"]))]),
            "message.param.text",
            "body[1]",
        ),
        (
            with(&[("body", json!(["Ana", "      x"]))]),
            "message.param.text",
            "body[1]",
        ),
        (
            with(&[("body", json!(["", "today"]))]),
            "message.param.text",
            "body[0]",
        ),
        (
            with(&[("buttons", json!([]))]),
            "message.buttons",
            "buttons",
        ),
        (
            with(&[(
                "buttons",
                json!([{"index": 0, "type": "url", "text": "1"}, {"index": 5, "type": "quick_reply", "payload": "x"}]),
            )]),
            "message.buttons",
            "buttons[1].index",
        ),
        (
            with(&[(
                "buttons",
                json!([{"index": 0, "type": "url", "text": "1"}, {"index": 0, "type": "url", "text": "2"}]),
            )]),
            "message.buttons",
            "buttons[1].index",
        ),
        (
            with(&[(
                "buttons",
                json!([{"index": 0, "type": "copy_code", "coupon_code": "X"}]),
            )]),
            "message.buttons",
            "buttons[0].type",
        ),
        (
            with(&[("client_ref", json!("x".repeat(129)))]),
            "message.client_ref",
            "client_ref",
        ),
        (
            with(&[("cards", json!([{"body": ["x"]}]))]),
            "message.cards",
            "cards",
        ),
    ];
    for (doc, rule, path) in cases {
        let got = problems(doc.clone());
        // Some faults bring a second one (no header → no link check); the named one must be there.
        assert!(
            got.iter().any(|(r, p)| r == rule && p == path),
            "expected {rule} at {path} for {doc}, got {got:?}"
        );
    }
}

#[test]
fn message_parse_errors_have_paths() {
    let doc = json!({
        "to": "8613600009759", "template": "t", "language": "en",
        "header": {"type": "gif", "link": "x"},
        "buttons": [{"index": -1, "type": "url", "txt": "a"}],
        "extra": 1
    });
    let p = TemplateMessage::from_value(&doc).unwrap_err();
    let got: Vec<(&str, &str)> = p.iter().map(|p| (p.rule, p.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("parse.unknown_value", "header.type"),
            ("parse.wrong_type", "buttons[0].index"),
            ("parse.missing_field", "buttons[0].text"),
            ("parse.unknown_field", "buttons[0].txt"),
            ("parse.unknown_field", "extra"),
        ]
    );
}

#[test]
fn lenient_where_vendors_disagree() {
    // NXCloud writes button indexes as strings and coordinates as strings or numbers.
    let m = TemplateMessage::from_value(&json!({
        "to": "0086 136 0000 9759", "template": "t", "language": "en",
        "header": {"type": "LOCATION", "latitude": "22.54", "longitude": 114.05},
        "body": [42],
        "buttons": [{"index": "1", "type": "Quick_Reply", "payload": "p"}]
    }))
    .unwrap();
    assert_eq!(m.buttons[0].index, 1);
    assert_eq!(m.body, Params::Positional(vec!["42".into()]));
    assert!(
        matches!(m.header, Some(HeaderParam::Location { latitude, .. }) if (latitude - 22.54).abs() < 1e-9)
    );
    assert_eq!(normalize_phone(&m.to).as_deref(), Some("8613600009759"));
}

#[test]
fn authentication_messages_carry_the_code_in_body_and_button() {
    let t = Template::from_value(&json!({
        "name": "otp", "language": "en", "category": "AUTHENTICATION",
        "components": [{"type": "BODY", "add_security_recommendation": true},
                       {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy"}]}]
    }))
    .unwrap();
    let ok = TemplateMessage::from_value(&json!({
        "to": "8613600009759", "template": "otp", "language": "en",
        "body": ["123456"], "buttons": [{"index": 0, "type": "url", "text": "123456"}]
    }))
    .unwrap();
    assert!(validate_message(&ok, Some(&t)).is_empty());
    let mut missing = ok.clone();
    missing.buttons.clear();
    let p = validate_message(&missing, Some(&t));
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].to_string(),
        "buttons: button 0 (OTP (COPY_CODE)) needs a url parameter [message.buttons]"
    );
}

/// Typed body values (Meta spec §3): read from their objects, written back the same, checked
/// on their fallback text, code and amount, and refused with paths when malformed.
#[test]
fn currency_and_date_time_values_read_check_and_round_trip() {
    let currency = json!({"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990});
    let date = json!({"type": "date_time", "fallback_value": "February 25, 1977"});
    let doc = with(&[("body", json!([currency, date]))]);
    let m = TemplateMessage::from_value(&doc).unwrap();
    assert_eq!(
        m.body,
        Params::Positional(vec![
            BodyValue::Currency(CurrencyValue {
                fallback_value: "$100.99".into(),
                code: "USD".into(),
                amount_1000: 100990,
            }),
            BodyValue::DateTime(DateTimeValue {
                fallback_value: "February 25, 1977".into(),
            }),
        ])
    );
    assert_eq!(m.body.values(), vec!["$100.99", "February 25, 1977"]);
    assert_eq!(m.to_value()["body"], json!([currency, date]));
    assert_eq!(TemplateMessage::from_value(&m.to_value()).unwrap(), m);
    assert_eq!(problems(doc), vec![]);
    assert_eq!(
        m.typed_values()
            .iter()
            .map(|(p, v)| (p.as_str().to_owned(), v.type_name()))
            .collect::<Vec<_>>(),
        vec![
            ("body[0]".to_owned(), "currency"),
            ("body[1]".to_owned(), "date_time")
        ]
    );

    // Checked: the fallback is the text WhatsApp shows; the code is ISO 4217.
    let bad = with(&[(
        "body",
        json!([
            {"type": "currency", "fallback_value": " ", "code": "usd", "amount_1000": -1},
            {"type": "date_time", "fallback_value": "line\nbreak"}
        ]),
    )]);
    assert_eq!(
        problems(bad),
        vec![
            ("message.param.text".into(), "body[0].fallback_value".into()),
            ("message.param.currency".into(), "body[0].code".into()),
            (
                "message.param.currency".into(),
                "body[0].amount_1000".into()
            ),
            ("message.param.text".into(), "body[1].fallback_value".into()),
        ]
    );

    // Malformed objects: each problem at its path.
    let doc = with(&[(
        "body",
        json!([
            {"type": "money", "fallback_value": "x"},
            {"type": "currency", "fallback_value": "$1", "amount_1000": 1.5},
            {"type": "date_time", "fallback_value": "today", "extra": 1}
        ]),
    )]);
    let p = TemplateMessage::from_value(&doc).unwrap_err();
    let got: Vec<(&str, &str)> = p.iter().map(|p| (p.rule, p.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("parse.unknown_value", "body[0].type"),
            ("parse.missing_field", "body[1].code"),
            ("parse.wrong_type", "body[1].amount_1000"),
            ("parse.unknown_field", "body[2].extra"),
        ]
    );
}
