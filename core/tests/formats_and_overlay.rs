//! One template read from JSON, YAML and TOML; case-insensitive enums written upper-case;
//! a provider overlay reporting what it cannot express as `unsupported.*`.

use wabakit_core::*;

const JSON: &str = r##"{
  "name": "order_update", "language": "en_US", "category": "utility",
  "message_send_ttl_seconds": 3600,
  "components": [
    {"type": "header", "format": "text", "text": "Order {{1}}", "example": {"header_text": ["#1234"]}},
    {"type": "Body", "text": "Hi {{1}}, it ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
    {"type": "FOOTER", "text": "Reply STOP to opt out"},
    {"type": "buttons", "buttons": [
      {"type": "quick_reply", "text": "Track"},
      {"type": "url", "text": "Open", "url": "https://shop.example/o/{{1}}", "example": ["https://shop.example/o/1234"]}
    ]}
  ]
}"##;

const YAML: &str = r##"
name: order_update
language: en_US
category: UTILITY
message_send_ttl_seconds: 3600
components:
  - {type: HEADER, format: TEXT, text: "Order {{1}}", example: {header_text: ["#1234"]}}
  - type: BODY
    text: "Hi {{1}}, it ships {{2}}."
    example: {body_text: [[Ana, today]]}
  - {type: FOOTER, text: Reply STOP to opt out}
  - type: BUTTONS
    buttons:
      - {type: QUICK_REPLY, text: Track}
      - {type: URL, text: Open, url: "https://shop.example/o/{{1}}", example: ["https://shop.example/o/1234"]}
"##;

const TOML: &str = r##"
name = "order_update"
language = "en_US"
category = "Utility"
message_send_ttl_seconds = 3600

[[components]]
type = "HEADER"
format = "TEXT"
text = "Order {{1}}"
example = { header_text = ["#1234"] }

[[components]]
type = "BODY"
text = "Hi {{1}}, it ships {{2}}."
example = { body_text = [["Ana", "today"]] }

[[components]]
type = "FOOTER"
text = "Reply STOP to opt out"

[[components]]
type = "BUTTONS"
buttons = [
  { type = "QUICK_REPLY", text = "Track" },
  { type = "URL", text = "Open", url = "https://shop.example/o/{{1}}", example = ["https://shop.example/o/1234"] },
]
"##;

#[test]
fn json_yaml_and_toml_read_the_same_template() {
    let a = Template::from_json(JSON).unwrap();
    let b = Template::from_yaml(YAML).unwrap();
    let c = Template::from_toml(TOML).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.validate().is_empty());
    let out = a.to_json();
    assert!(
        out.contains(r#""category":"UTILITY""#) && out.contains(r#""type":"QUICK_REPLY""#),
        "{out}"
    );
    assert!(
        out.contains(r#""format":"TEXT""#) && !out.contains("utility"),
        "{out}"
    );
}

#[test]
fn syntax_errors_are_problems_too() {
    let p = Template::from_yaml("name: [unclosed").unwrap_err();
    assert_eq!(p[0].rule, "parse.syntax");
    let p = Template::from_toml("name = ").unwrap_err();
    assert_eq!(p[0].rule, "parse.syntax");
}

#[test]
fn templates_deserialize_inside_user_types() {
    #[derive(serde::Deserialize)]
    struct Campaign {
        template: Template,
    }
    let c: Campaign = serde_json::from_str(&format!(r#"{{"template": {JSON}}}"#)).unwrap();
    assert_eq!(c.template.name, "order_update");
    let err = serde_json::from_str::<Campaign>(r#"{"template": {"name": "x"}}"#)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("language: required field is missing [parse.missing_field]"),
        "{err}"
    );
}

#[tokio::test]
async fn an_overlay_reports_what_the_provider_cannot_express() {
    let mut caps = Capabilities::everything();
    caps.buttons.retain(|b| *b != ButtonKind::Flow);
    caps.components
        .retain(|c| *c != ComponentKind::LimitedTimeOffer);
    caps.channels = vec![Channel::Whatsapp];
    caps.header_handle = false;
    caps.limits
        .push(("body.text.length", rules::Limit::max(20)));
    let p = MemoryProvider::new().with_capabilities(caps);
    let t = Template::from_value(&serde_json::json!({
        "name": "promo", "language": "en", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4:aGk="]}},
            {"type": "BODY", "text": "A body longer than twenty characters."},
            {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Hurry"}},
            {"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Start", "flow_id": "1", "navigate_screen": "WELCOME"}]}
        ]
    }))
    .unwrap();
    let got: Vec<(&str, String)> = p
        .validate(&t)
        .into_iter()
        .map(|x| (x.rule, x.path))
        .collect();
    assert_eq!(
        got,
        vec![
            ("unsupported.component", "components[2].type".to_owned()),
            (
                "unsupported.field",
                "components[0].example.header_handle".to_owned()
            ),
            ("body.text.length", "components[1].text".to_owned()),
            (
                "unsupported.button",
                "components[3].buttons[0].type".to_owned()
            ),
        ]
    );
    let e = p.create_template(&t).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.problems().len(), 4);

    // Only unsupported problems: an Unsupported error.
    let mut viber = Template::from_value(&serde_json::json!({
        "name": "v", "language": "en", "category": "MARKETING", "channel": "viber",
        "components": [{"type": "BODY", "text": "Short one"}]
    }))
    .unwrap();
    let e = p.create_template(&viber).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(e.problems()[0].path, "channel");
    viber.channel = Channel::Whatsapp;
    assert!(p.create_template(&viber).await.is_ok());
}

/// A media header's samples: each one given must be one the provider takes. With both a
/// handle and a URL given, the one it cannot take would be dropped (or sent where its pages do
/// not define it), so it is unsupported at its path; alone, the one it takes passes.
#[test]
fn each_header_sample_given_is_one_the_provider_takes() {
    let doc = |example: serde_json::Value| {
        Template::from_value(&serde_json::json!({
            "name": "promo", "language": "en", "category": "MARKETING",
            "components": [
                {"type": "HEADER", "format": "IMAGE", "example": example},
                {"type": "BODY", "text": "See our sale."}
            ]
        }))
        .unwrap()
    };
    let both = doc(
        serde_json::json!({"header_handle": ["4:aGk="], "custom_header_handle_url": "https://cdn.example/a.png"}),
    );
    for (handle, url, refused) in [
        (
            true,
            false,
            "components[0].example.custom_header_handle_url",
        ),
        (false, true, "components[0].example.header_handle"),
    ] {
        let mut caps = Capabilities::everything();
        caps.header_handle = handle;
        caps.header_url = url;
        let got: Vec<(&str, String)> = validate_template(&both, &caps)
            .into_iter()
            .map(|x| (x.rule, x.path))
            .collect();
        assert_eq!(got, vec![("unsupported.field", refused.to_owned())]);
        let taken = if handle {
            serde_json::json!({"header_handle": ["4:aGk="]})
        } else {
            serde_json::json!({"custom_header_handle_url": "https://cdn.example/a.png"})
        };
        assert!(validate_template(&doc(taken), &caps).is_empty());
    }
    assert!(validate_template(&both, &Capabilities::everything()).is_empty());
}

/// A reading error works with `?` in code returning `wabakit_core::Result`, as a validation
/// error keeping every problem with its path, and still reads as the list of its problems.
#[test]
fn a_read_error_converts_into_the_error_type_with_its_problems() {
    fn read(text: &str) -> Result<Template> {
        Ok(Template::from_json(text)?)
    }
    let e =
        read(r#"{"name": "x", "language": "en_US", "components": [], "colour": 1}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let paths: Vec<String> = e.problems().iter().map(|p| p.path.to_string()).collect();
    assert!(paths.contains(&"colour".to_owned()), "{paths:?}");
    let r = Template::from_json("{").unwrap_err();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].rule, "parse.syntax");
    assert!(r.to_string().starts_with("1 problem(s): "), "{r}");
    let boxed: Box<dyn std::error::Error> = Box::new(r);
    assert!(boxed.to_string().contains("parse.syntax"), "{boxed}");
}

#[test]
fn documents_are_read_from_files_by_their_extension() {
    let dir = std::env::temp_dir().join(format!("wabakit-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        "name: hello\nlanguage: en_US\ncategory: UTILITY\ncomponents:\n  - type: BODY\n    text: Hello\n",
    )
    .unwrap();
    assert_eq!(Template::from_file(&yaml).unwrap().name, "hello");
    let msg = dir.join("m.toml");
    std::fs::write(
        &msg,
        "to = \"+8613600009759\"\ntemplate = \"hello\"\nlanguage = \"en_US\"\n",
    )
    .unwrap();
    assert_eq!(TemplateMessage::from_file(&msg).unwrap().template, "hello");
    let odd = dir.join("t.txt");
    std::fs::write(&odd, "{}").unwrap();
    let e = Template::from_file(&odd).unwrap_err();
    assert!(
        e[0].message.contains("the extension names no format"),
        "{e}"
    );
    let missing = Template::from_file(dir.join("absent.json")).unwrap_err();
    assert_eq!(missing[0].rule, "parse.syntax");
    std::fs::remove_dir_all(&dir).unwrap();
}
