//! The table of invalid templates (`data/invalid_templates.yaml`): each produces exactly the
//! rule ids and paths it lists. And one template with several faults reports all of them.

use serde_json::Value;
use wabakit_core::{rules, Template};

struct Case {
    expected: Vec<(String, String)>,
    doc: Value,
}

/// `${x*N}` inside a string becomes x repeated N times (for length limits).
fn expand(v: &mut Value) {
    match v {
        Value::String(s) => {
            while let Some(start) = s.find("${") {
                let end = start + s[start..].find('}').expect("closing }");
                let (unit, n) = s[start + 2..end].rsplit_once('*').expect("${x*N}");
                let rep = unit.repeat(n.parse().expect("N"));
                s.replace_range(start..=end, &rep);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(expand),
        Value::Object(m) => m.values_mut().for_each(expand),
        _ => {}
    }
}

fn cases() -> Vec<Case> {
    let text = include_str!("data/invalid_templates.yaml");
    let raw: Vec<Value> = serde_yaml::from_str(text).expect("table parses");
    raw.into_iter()
        .map(|c| {
            let mut expected = vec![(
                c["rule"].as_str().unwrap().to_owned(),
                c["path"].as_str().unwrap().to_owned(),
            )];
            if let Some(also) = c.get("also").and_then(Value::as_array) {
                for pair in also {
                    expected.push((
                        pair[0].as_str().unwrap().to_owned(),
                        pair[1].as_str().unwrap().to_owned(),
                    ));
                }
            }
            let mut doc = c["t"].clone();
            expand(&mut doc);
            expected.sort();
            Case { expected, doc }
        })
        .collect()
}

fn problems_of(doc: &Value) -> Vec<(String, String)> {
    let problems = match Template::from_value(doc) {
        Err(p) => p.into_problems(),
        Ok(t) => t.validate(),
    };
    let mut v: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.rule.to_owned(), p.path.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_template_reports_exactly_its_rule_and_path() {
    let cases = cases();
    assert!(cases.len() >= 60, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let got = problems_of(&c.doc);
        if got != c.expected {
            failures.push(format!(
                "case {i} ({:?}): expected {:?}, got {:?}",
                c.doc["name"], c.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Rules that need more than a document, each with the test that covers it.
const TESTED_ELSEWHERE: &[(&str, &str)] = &[
    // limits on the text, before a document exists
    (
        "parse.too_large",
        "a_document_over_the_size_limit_is_not_read (core/tests/hostile.rs)",
    ),
    (
        "parse.too_deep",
        "yaml_nested_a_hundred_thousand_levels_is_refused_at_the_limit (core/tests/hostile.rs)",
    ),
    (
        "parse.too_many",
        "a_list_far_longer_than_whatsapp_allows_is_one_problem (core/tests/hostile.rs)",
    ),
    // the template's state, which only a provider knows
    (
        "update.category",
        "seed_000_category_changes_only_while_rejected (core/tests/memory.rs, providers' tests)",
    ),
    // cams overlay rules
    (
        "button.copy_code.variable",
        "seed_003_coupon_code_variable_is_filled_at_send_time (providers/alibaba/tests/mapping.rs)",
    ),
    (
        "viber.category.components",
        "seed_003_viber_category_from_components (providers/alibaba/tests/mapping.rs)",
    ),
];

/// Each template rule of the table has at least one case here (message and provider rules are
/// tested elsewhere).
#[test]
fn every_template_rule_has_a_case() {
    let covered: Vec<String> = cases()
        .iter()
        .flat_map(|c| c.expected.iter().map(|(r, _)| r.clone()))
        .collect();
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|r| r.id)
        .filter(|id| {
            !id.starts_with("unsupported.")
                && !id.starts_with("message.")
                && *id != "parse.syntax"
                && !TESTED_ELSEWHERE.iter().any(|(r, _)| r == id)
        })
        .filter(|id| !covered.iter().any(|c| c == id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
    for (rule, _) in cases().iter().flat_map(|c| c.expected.clone()) {
        assert!(
            rules::find(&rule).is_some(),
            "{rule} is not in the rule table"
        );
    }
}

#[test]
fn several_faults_are_all_reported_with_path_rule_and_sentence() {
    let doc: Value = serde_json::json!({
        "name": "Spring Sale",
        "language": "en_US",
        "category": "MARKETING",
        "message_send_ttl_seconds": 60,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Sale {{1}} and {{2}}"},
            {"type": "BODY", "text": "{{1}}, get {{3}} off"},
            {"type": "FOOTER", "text": "Stop {{1}}"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Yes"},
                {"type": "URL", "text": "Shop", "url": "shop.example/{{1}}"},
                {"type": "QUICK_REPLY", "text": "No"}
            ]}
        ]
    });
    let t = Template::from_value(&doc).unwrap();
    let problems = t.validate();
    let got: Vec<(&str, &str)> = problems.iter().map(|p| (p.rule, p.path.as_str())).collect();
    let expected = [
        ("name.charset", "name"),
        ("ttl.marketing", "message_send_ttl_seconds"),
        ("header.variables", "components[0].text"),
        ("header.example", "components[0].example.header_text"),
        ("placeholder.sequence", "components[1].text"),
        ("body.variable_at_edge", "components[1].text"),
        ("body.example", "components[1].example.body_text"),
        ("footer.variables", "components[2].text"),
        ("buttons.grouping", "components[3].buttons[2]"),
        ("button.url.scheme", "components[3].buttons[1].url"),
        ("button.url.example", "components[3].buttons[1].example"),
    ];
    for e in &expected {
        assert!(got.contains(e), "missing {e:?} in {got:#?}");
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    // Each problem reads as a sentence with its path and rule.
    let line = problems
        .iter()
        .find(|p| p.rule == "footer.variables")
        .unwrap()
        .to_string();
    assert_eq!(
        line,
        "components[2].text: a footer cannot have variables [footer.variables]"
    );
}

#[test]
fn unknown_field_error_names_its_path() {
    let doc = serde_json::json!({
        "name": "call_us", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Call us."},
            {"type": "FOOTER", "text": "Thanks"},
            {"type": "BUTTONS", "buttons": [{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+8613800000000", "phone_numbr": "x"}]}
        ]
    });
    let p = Template::from_value(&doc).unwrap_err();
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].to_string(),
        "components[2].buttons[0].phone_numbr: unknown field (expected one of: phone_number, text, type) [parse.unknown_field]"
    );
}
