//! Hostile documents are refused cleanly: one problem with its rule and path, never a stack
//! overflow, a quadratic parse or a million problems (NOTES.md has the table of what was tried
//! and what `wabakit validate` did with each).

use serde_json::json;
use wabakit_core::parse::limits::{MAX_BYTES, MAX_DEPTH, MAX_ENTRIES};
use wabakit_core::{Format, Template, TemplateMessage};

fn only_problem(
    r: Result<impl std::fmt::Debug, wabakit_core::parse::ReadError>,
) -> (String, String, String) {
    let e = r.unwrap_err();
    assert_eq!(e.problems().len(), 1, "{:?}", e.problems());
    let p = &e.problems()[0];
    (p.rule.to_owned(), p.path.clone(), p.message.clone())
}

#[test]
fn yaml_nested_a_hundred_thousand_levels_is_refused_at_the_limit() {
    // 200 KB of brackets: serde_yaml alone took over 30 s on this (quadratic in the depth).
    let text = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (rule, path, msg) = only_problem(Template::from_text(&text, Format::Yaml));
    assert_eq!((rule.as_str(), path.as_str()), ("parse.too_deep", ""));
    assert_eq!(
        msg,
        format!(
            "line 1, column {}: nested deeper than {MAX_DEPTH} levels",
            4 + MAX_DEPTH
        )
    );
    // Maps too, and inside a real template's field.
    let text = format!("name: x\ncomponents: {}", "{a: ".repeat(40));
    assert_eq!(
        only_problem(Template::from_text(&text, Format::Yaml)).0,
        "parse.too_deep"
    );
    // JSON and TOML readers stop at their own recursion limits, at once.
    for (text, format) in [
        (
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            Format::Json,
        ),
        (
            format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            Format::Toml,
        ),
    ] {
        assert_eq!(
            only_problem(Template::from_text(&text, format)).0,
            "parse.syntax"
        );
    }
}

#[test]
fn a_document_over_the_size_limit_is_not_read() {
    let text = format!("{{\"name\": \"{}\"}}", "a".repeat(MAX_BYTES));
    for format in [Format::Json, Format::Yaml, Format::Toml] {
        let (rule, _, msg) = only_problem(TemplateMessage::from_text(&text, format));
        assert_eq!(rule, "parse.too_large");
        assert_eq!(
            msg,
            format!(
                "the document is {} bytes; at most 1024 KiB are read",
                MAX_BYTES + 12
            )
        );
    }
}

#[test]
fn a_list_far_longer_than_whatsapp_allows_is_one_problem() {
    let buttons: Vec<_> = (0..100_000)
        .map(|_| json!({"type": "QUICK_REPLY", "text": ""}))
        .collect();
    let doc = json!({"name": "a_b", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hello"}, {"type": "BUTTONS", "buttons": buttons}]});
    let (rule, path, msg) = only_problem(Template::from_value(&doc));
    assert_eq!(
        (rule.as_str(), path.as_str()),
        ("parse.too_many", "components[1].buttons")
    );
    assert_eq!(
        msg,
        format!("100000 entries; at most {MAX_ENTRIES} are read")
    );
    let body: Vec<_> = (0..1_000_000).map(|i| i.to_string()).collect();
    let m = json!({"to": "+8613600000001", "template": "a_b", "language": "en_US", "body": body});
    let (rule, path, _) = only_problem(TemplateMessage::from_value(&m));
    assert_eq!((rule.as_str(), path.as_str()), ("parse.too_many", "body"));
}

#[test]
fn a_long_text_is_one_length_problem() {
    let doc = json!({"name": "a_b", "language": "en_US", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "x".repeat(MAX_BYTES / 2)}]});
    let problems = Template::from_value(&doc).unwrap().validate();
    let rules: Vec<_> = problems.iter().map(|p| (p.rule, p.path.as_str())).collect();
    assert_eq!(rules, [("body.text.length", "components[0].text")]);
}

#[test]
fn a_value_quoted_in_a_problem_is_cut_short() {
    let name = "Ü".repeat(300_000);
    let doc = json!({"name": name, "language": "en_US", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hello"}]});
    let problems = Template::from_value(&doc).unwrap().validate();
    assert!(!problems.is_empty());
    for p in &problems {
        assert!(
            p.message.len() <= 400 + '…'.len_utf8(),
            "{} bytes",
            p.message.len()
        );
    }
    assert!(
        problems.iter().any(|p| p.rule == "name.length"),
        "{problems:?}"
    );
}
