//! Every template request example of the vendor pages (`tests/data/vendor/`) is a valid neutral
//! document: it parses, validates clean, and serializes back to the same JSON (enum values
//! upper-cased).

use serde_json::Value;
use wabakit_core::{Capabilities, Template};

/// The request examples of a vendor page (`tests/data/vendor/seed-NNN/*.request.*.json`).
fn examples(seed: &str) -> Vec<Value> {
    let dir = format!("seed-{seed}");
    wabakit_testdata::names(&dir, "")
        .into_iter()
        .filter(|n| n.contains(".request."))
        .map(|n| wabakit_testdata::json(&n))
        .collect()
}

/// Upper-case the enum values the model writes upper-case.
fn normalize(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                match (k.as_str(), val) {
                    ("type" | "format" | "category" | "otp_type", Value::String(s)) => {
                        *s = s.to_uppercase()
                    }
                    (_, val) => normalize(val),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// The neutral part of a vendor request: what the template document holds.
fn neutral_part(example: &Value) -> Value {
    let mut doc = serde_json::Map::new();
    for key in [
        "name",
        "language",
        "category",
        "message_send_ttl_seconds",
        "components",
    ] {
        if let Some(v) = example.get(key) {
            doc.insert(key.to_owned(), v.clone());
        }
    }
    Value::Object(doc)
}

fn assert_round_trip(doc: &Value, label: &str) {
    let t = Template::from_value(doc).unwrap_or_else(|p| panic!("{label}: does not parse: {p:#?}"));
    let problems = t.validate();
    assert!(
        problems.is_empty(),
        "{label}: validation problems: {problems:#?}"
    );
    let mut expected = doc.clone();
    normalize(&mut expected);
    assert_eq!(t.to_value(), expected, "{label}: does not round-trip");
}

#[test]
fn create_template_async_examples_round_trip() {
    let examples = examples("002");
    // normal text, rich, media header, COPY_CODE, FLOW, simple marketing, two AUTHENTICATION, carousel
    assert_eq!(
        examples.len(),
        9,
        "examples found on the createTemplateAsync page"
    );
    for (i, ex) in examples.iter().enumerate() {
        assert_round_trip(
            &neutral_part(ex),
            &format!("002 example {i} ({})", ex["name"]),
        );
    }
    let kinds: Vec<String> = examples
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    for needed in [
        "mkt_cpoy_code",
        "mkt_flow",
        "otp_test_01",
        "otp_test_02",
        "carousel_template_media_cards_v1",
    ] {
        assert!(
            kinds.iter().any(|k| k == needed),
            "missing seed example {needed}"
        );
    }
}

/// The updateTemplate examples carry no name/language (and one no category): the template they
/// update supplies those.
#[test]
fn update_template_examples_round_trip() {
    for prefix in ["000", "001"] {
        let examples = examples(prefix);
        assert_eq!(examples.len(), 1, "{prefix}: one updateTemplate example");
        let mut doc = neutral_part(&examples[0]);
        let obj = doc.as_object_mut().unwrap();
        obj.insert("name".into(), "otp_test".into());
        obj.insert("language".into(), "en".into());
        obj.entry("category").or_insert("MARKETING".into());
        assert_round_trip(&doc, prefix);
    }
}

#[test]
fn seed_examples_validate_clean_for_a_provider_with_everything() {
    let caps = Capabilities::everything();
    for ex in examples("002") {
        let t = Template::from_value(&neutral_part(&ex)).unwrap();
        assert!(wabakit_core::validate_template(&t, &caps).is_empty());
    }
}
