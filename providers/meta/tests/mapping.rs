//! Exact Graph bodies for neutral documents: the spec's create and send examples, and every
//! send parameter kind of the neutral message.

use serde_json::{json, Value};
use wabakit_core::*;
use wabakit_meta::mapping;

fn spec(n: &str) -> Value {
    wabakit_testdata::json(&format!("meta-spec/{n}"))
}

fn wire(v: &impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap()
}

#[test]
fn the_spec_create_example_is_the_neutral_document_as_it_is() {
    let example = spec("create_template.request.json");
    let t = Template::from_value(&example).unwrap();
    assert!(t.validate().is_empty(), "{:?}", t.validate());
    let body = mapping::create_template(&t);
    assert_eq!(wire(&body), example);
    // The same order of fields as Meta's example.
    let text = serde_json::to_string(&body).unwrap();
    assert!(
        text.starts_with(r#"{"name":"order_confirmation","language":"en_US","category":"UTILITY","message_send_ttl_seconds":3600,"components":[{"type":"HEADER","format":"DOCUMENT","example":{"header_handle":["#),
        "{text}"
    );
}

#[test]
fn an_edit_sends_what_may_change_and_every_component() {
    let mut t = Template::from_value(&spec("create_template.request.json")).unwrap();
    t.parameter_format = Some(ParameterFormat::Positional);
    let body = wire(&mapping::edit_template(&t));
    let example = spec("create_template.request.json");
    assert_eq!(
        body,
        json!({"category": "UTILITY", "parameter_format": "POSITIONAL",
               "message_send_ttl_seconds": 3600, "components": example["components"]})
    );
}

#[test]
fn the_spec_send_example_from_a_neutral_message() {
    let m = TemplateMessage::from_value(&json!({
        "to": "+16505551234", "template": "order_confirmation", "language": "en_US",
        "header": {"type": "document", "link": "https://cdn.example.com/r/8812.pdf", "filename": "receipt.pdf"},
        "body": ["Mark", "860198-230332"],
        "buttons": [
            {"index": 2, "type": "quick_reply", "payload": "STOP:8812"},
            {"index": 1, "type": "url", "text": "860198"}
        ],
        "client_ref": "tpl:order_confirmation:8812"
    }))
    .unwrap();
    let mut example = spec("send.request.json");
    // The number goes as digits; Meta takes it with or without `+` (spec §3).
    example["to"] = json!("16505551234");
    let body = mapping::send(&m).unwrap();
    assert_eq!(wire(&body), example);
    let text = serde_json::to_string(&body).unwrap();
    assert!(
        text.starts_with(r#"{"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template","biz_opaque_callback_data":"tpl:order_confirmation:8812","template":{"name":"order_confirmation","language":{"code":"en_US","policy":"deterministic"},"components":[{"type":"header","#),
        "{text}"
    );
}

#[test]
fn every_parameter_kind_in_the_send_time_shape() {
    let m = TemplateMessage::from_value(&json!({
        "to": "8613600009759", "template": "t", "language": "en_US",
        "header": {"type": "location", "latitude": 22.54, "longitude": 114.05, "name": "Shop", "address": "1 Road"},
        "body": {"first_name": "Ana", "order": "A-1"},
        "buttons": [
            {"index": 0, "type": "copy_code", "coupon_code": "CARIBE25"},
            {"index": 1, "type": "flow", "flow_token": "tok", "flow_action_data": {"screen": "S1"}}
        ],
        "cards": [
            {"header": {"type": "image", "id": "1234567890"}, "body": ["c1"],
             "buttons": [{"index": 0, "type": "quick_reply", "payload": "card-1"}]},
            {"header": {"type": "video", "link": "https://cdn.example/v.mp4"}, "body": ["c2"]}
        ]
    }))
    .unwrap();
    let body = wire(&mapping::send(&m).unwrap());
    assert_eq!(
        body["template"]["components"],
        json!([
            {"type": "header", "parameters": [{"type": "location", "location": {"latitude": 22.54, "longitude": 114.05, "name": "Shop", "address": "1 Road"}}]},
            {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "first_name", "text": "Ana"},
                {"type": "text", "parameter_name": "order", "text": "A-1"}
            ]},
            {"type": "button", "sub_type": "copy_code", "index": "0", "parameters": [{"type": "coupon_code", "coupon_code": "CARIBE25"}]},
            {"type": "button", "sub_type": "flow", "index": "1", "parameters": [{"type": "action", "action": {"flow_token": "tok", "flow_action_data": {"screen": "S1"}}}]},
            {"type": "carousel", "cards": [
                {"card_index": 0, "components": [
                    {"type": "header", "parameters": [{"type": "image", "image": {"id": "1234567890"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "c1"}]},
                    {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "card-1"}]}
                ]},
                {"card_index": 1, "components": [
                    {"type": "header", "parameters": [{"type": "video", "video": {"link": "https://cdn.example/v.mp4"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "c2"}]}
                ]}
            ]}
        ])
    );
    // No client_ref: no callback data.
    assert!(body.get("biz_opaque_callback_data").is_none());
}

#[test]
fn a_number_that_is_not_one_is_refused_with_its_path() {
    let m = TemplateMessage::from_value(
        &json!({"to": "call me", "template": "t", "language": "en_US"}),
    )
    .unwrap();
    let e = mapping::send(&m).unwrap_err();
    assert_eq!(e.problems()[0].path.as_str(), "to");
}

/// The spec's `currency` and `date_time` parameter objects (§3, from S1), byte for byte, by
/// position and by name; a card's body takes them too.
#[test]
fn currency_and_date_time_values_go_as_the_spec_writes_them() {
    let currency = json!({"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990});
    let date = json!({"type": "date_time", "fallback_value": "February 25, 1977"});
    let m = TemplateMessage::from_value(&json!({
        "to": "8613600009759", "template": "t", "language": "en_US",
        "body": ["Ana", currency, date],
        "cards": [{"body": [currency]}]
    }))
    .unwrap();
    let text = serde_json::to_string(&mapping::send(&m).unwrap()).unwrap();
    let body = r#"{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"currency","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}},{"type":"date_time","date_time":{"fallback_value":"February 25, 1977"}}]}"#;
    assert!(text.contains(body), "{text}");
    let card = r#"{"card_index":0,"components":[{"type":"body","parameters":[{"type":"currency","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}}]}]}"#;
    assert!(text.contains(card), "{text}");

    let named = TemplateMessage::from_value(&json!({
        "to": "8613600009759", "template": "t", "language": "en_US",
        "body": {"total": currency, "day": date}
    }))
    .unwrap();
    let text = serde_json::to_string(&mapping::send(&named).unwrap()).unwrap();
    assert!(
        text.contains(r#"[{"type":"date_time","parameter_name":"day","date_time":{"fallback_value":"February 25, 1977"}},{"type":"currency","parameter_name":"total","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}}]"#),
        "{text}"
    );
}
