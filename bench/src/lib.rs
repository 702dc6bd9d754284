//! Shared fixtures of the benchmarks and the fault drill.

use serde_json::json;
use wabakit::Template;

/// A template with one BODY.
pub fn one_body() -> Template {
    Template::from_value(&json!({
        "name": "order_shipped", "language": "en", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hello, your order has shipped."}]
    }))
    .expect("valid")
}

/// The four-component template of vector `v3_modify_header_body_footer_quick_replies`.
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
    .expect("valid")
}
