//! The template rules the vendor pages state (issue 12 §3), one test each, on the documents the
//! pages themselves use where they have one. (`data/invalid_templates.yaml` holds a case of
//! each as well.)

use serde_json::{json, Value};
use wabakit_core::Template;

fn rules_of(doc: Value) -> Vec<(&'static str, String)> {
    let t = Template::from_value(&doc).unwrap();
    t.validate().into_iter().map(|p| (p.rule, p.path)).collect()
}

/// Seed 002's FLOW example, and the same without `flow_action`: "navigate 或 data_exchange
/// 默认:navigate", so `navigate_screen` is required when the action is absent too.
#[test]
fn seed_002_flow_action_defaults_to_navigate() {
    let ex = wabakit_testdata::json("seed-002/create_template_async.request.flow.json");
    let doc = json!({"name": ex["name"], "language": ex["language"], "category": ex["category"], "components": ex["components"]});
    assert_eq!(rules_of(doc.clone()), vec![]);
    let mut no_action = doc.clone();
    no_action["components"][1]["buttons"][0]
        .as_object_mut()
        .unwrap()
        .remove("flow_action");
    assert_eq!(rules_of(no_action.clone()), vec![]);
    no_action["components"][1]["buttons"][0]
        .as_object_mut()
        .unwrap()
        .remove("navigate_screen");
    assert_eq!(
        rules_of(no_action),
        [(
            "button.flow.navigate_screen",
            "components[1].buttons[0].navigate_screen".to_owned()
        )]
    );
    let mut exchange = doc;
    exchange["components"][1]["buttons"][0]["flow_action"] = json!("data_exchange");
    exchange["components"][1]["buttons"][0]
        .as_object_mut()
        .unwrap()
        .remove("navigate_screen");
    assert_eq!(rules_of(exchange), vec![]);
}

/// Seeds 000 and 002 ("text | 必须 | 按钮的显示文字") and seed 003 (COPY_CODE "Text 为必填",
/// ONE_TAP "Text … 必填"): the authentication examples of seed 002 carry their text, and
/// without it they are refused. A coupon COPY_CODE button (seed 002's example has none) keeps
/// WhatsApp's own label.
#[test]
fn seed_000_002_003_otp_buttons_need_their_text() {
    for file in ["auth_copy_code", "auth_one_tap"] {
        let ex = wabakit_testdata::json(&format!(
            "seed-002/create_template_async.request.{file}.json"
        ));
        let doc = json!({"name": ex["name"], "language": ex["language"], "category": ex["category"], "components": ex["components"]});
        assert_eq!(rules_of(doc.clone()), vec![], "{file}");
        let mut no_text = doc;
        no_text["components"][2]["buttons"][0]
            .as_object_mut()
            .unwrap()
            .remove("text");
        assert_eq!(
            rules_of(no_text),
            [(
                "button.text.required",
                "components[2].buttons[0].text".to_owned()
            )],
            "{file}"
        );
    }
    let coupon = wabakit_testdata::json("seed-002/create_template_async.request.copy_code.json");
    let doc = json!({"name": coupon["name"], "language": coupon["language"], "category": coupon["category"], "components": coupon["components"]});
    assert_eq!(rules_of(doc), vec![]);
}

/// Seed 003: IsOptOut is valid "在 Category 为 Marketing 且 Button type 为 QUICK_REPLY 时".
#[test]
fn seed_003_is_opt_out_only_on_marketing_quick_replies() {
    let doc = |category: &str| {
        json!({"name": "stop", "language": "en", "category": category, "components": [
            {"type": "BODY", "text": "Our news for you."},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop", "is_opt_out": true}]}
        ]})
    };
    assert_eq!(rules_of(doc("MARKETING")), vec![]);
    assert_eq!(
        rules_of(doc("UTILITY")),
        [(
            "button.quick_reply.is_opt_out",
            "components[1].buttons[0].is_opt_out".to_owned()
        )]
    );
}

/// Seed 000: "category … 否 … 模板被拒时可修改类型": only an update may leave the category out.
#[test]
fn seed_000_only_an_update_may_leave_the_category_out() {
    let req = wabakit_testdata::json("seed-001/update_template.request.json");
    let t = Template::from_value(
        &json!({"name": "otp_test", "language": "en", "components": req["components"]}),
    )
    .unwrap();
    let caps = wabakit_core::Capabilities::everything();
    assert_eq!(wabakit_core::validate_update(&t, &caps), vec![]);
    assert_eq!(
        t.validate().iter().map(|p| p.rule).collect::<Vec<_>>(),
        ["category.required"]
    );
}
