//! Templates and messages the scenarios use.

use serde_json::json;
use wabakit_core::{Template, TemplateMessage};

/// A UTILITY template every provider can express: a text header, two body variables, a
/// footer, a quick reply and a static URL button. The conformance scenarios use it.
pub fn order_update(name: &str) -> Template {
    Template::from_value(&json!({
        "name": name,
        "language": "en_US",
        "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Your order"},
            {"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Track"},
                {"type": "URL", "text": "Open", "url": "https://shop.example/orders"}
            ]}
        ]
    }))
    .expect("fixture template is valid")
}

/// A message for [`order_update`].
pub fn order_message(template: &str) -> TemplateMessage {
    TemplateMessage::from_value(&json!({
        "to": "+86 136 0000 9759",
        "template": template,
        "language": "en_US",
        "body": ["Ana", "today"],
        "buttons": [{"index": 0, "type": "quick_reply", "payload": "track-1234"}],
        "client_ref": format!("{template}-1234-shipped")
    }))
    .expect("fixture message is valid")
}

/// A UTILITY template with a text header variable, two body variables, a footer, a quick
/// reply and a dynamic URL button (for providers whose own tests cover those).
pub fn rich_update(name: &str) -> Template {
    Template::from_value(&json!({
        "name": name,
        "language": "en_US",
        "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#1234"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Track"},
                {"type": "URL", "text": "Open", "url": "https://shop.example/o/{{1}}", "example": ["https://shop.example/o/1234"]}
            ]}
        ]
    }))
    .expect("fixture template is valid")
}

/// A message for [`rich_update`].
pub fn rich_message(template: &str) -> TemplateMessage {
    TemplateMessage::from_value(&json!({
        "to": "+86 136 0000 9759",
        "template": template,
        "language": "en_US",
        "header": {"type": "text", "text": "#1234"},
        "body": ["Ana", "today"],
        "buttons": [
            {"index": 0, "type": "quick_reply", "payload": "track-1234"},
            {"index": 1, "type": "url", "text": "1234"}
        ],
        "client_ref": format!("{template}-1234-shipped")
    }))
    .expect("fixture message is valid")
}

/// [`order_update`] with a new body text.
pub fn order_update_edited(name: &str) -> Template {
    let mut t = order_update(name);
    for c in &mut t.components {
        if let wabakit_core::Component::Body(b) = c {
            b.text = Some("Hello {{1}}, your parcel ships {{2}}.".into());
        }
    }
    t
}

/// A template with three faults at known paths: bad name, footer variable, long button text.
pub fn faulty(name: &str) -> (Template, Vec<(&'static str, &'static str)>) {
    let t = Template::from_value(&json!({
        "name": format!("{name}-Bad"),
        "language": "en_US",
        "category": "MARKETING",
        "components": [
            {"type": "BODY", "text": "Big sale this weekend only."},
            {"type": "FOOTER", "text": "Unsubscribe {{1}}"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "This label is much too long to show"}]}
        ]
    }))
    .expect("faulty fixture parses");
    let expected = vec![
        ("name", "name.charset"),
        ("components[1].text", "footer.variables"),
        ("components[2].buttons[0].text", "button.text.length"),
    ];
    (t, expected)
}

/// A template with one BODY.
pub fn one_body() -> Template {
    Template::from_value(&json!({
        "name": "order_shipped", "language": "en", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hello, your order has shipped."}]
    }))
    .expect("fixture template is valid")
}

/// The four-component template of vector `v3_modify_header_body_footer_quick_replies`
/// (header, body with two variables, footer, three quick replies, one an opt-out).
pub fn four_components() -> Template {
    Template::from_value(&json!({
        "name": "summer_sale", "language": "en_US", "category": "MARKETING", "category_change_paused": true,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Summer sale *today*"},
            {"type": "BODY", "text": "Hi {{1}},\nget {{2}} off with code ~SUMMER~ & more! 1+1=2 /promo",
             "example": {"body_text": [["Tom", "50%"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Yes please"},
                {"type": "QUICK_REPLY", "text": "No thanks"},
                {"type": "QUICK_REPLY", "text": "Stop promotions", "is_opt_out": true}
            ]}
        ]
    }))
    .expect("fixture template is valid")
}
