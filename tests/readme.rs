//! Every template and message the README shows works on every provider it claims to: each
//! JSON template of the README is created and approved, and each message to it is sent, on the
//! in-memory provider and on every registered sandbox, through a client built from the profile
//! the sandbox hands back.

use serde_json::Value;
use wabakit::alibaba::AlibabaProvider;
use wabakit::fake::Reviewable;
use wabakit::*;

/// The JSON code blocks of README.md.
fn json_blocks() -> Vec<Value> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    readme
        .split("```json\n")
        .skip(1)
        .filter_map(|rest| rest.split_once("\n```").map(|(block, _)| block))
        .map(|block| {
            serde_json::from_str(block).unwrap_or_else(|e| panic!("README block: {e}\n{block}"))
        })
        .collect()
}

async fn works_on(name: &str, provider: &dyn Provider, sandbox: &dyn Reviewable) {
    let blocks = json_blocks();
    let templates: Vec<Template> = blocks
        .iter()
        .filter(|b| b.get("components").is_some())
        .map(|b| Template::from_value(b).unwrap())
        .collect();
    let messages: Vec<TemplateMessage> = blocks
        .iter()
        .filter(|b| b.get("to").is_some())
        .map(|b| TemplateMessage::from_value(b).unwrap())
        .collect();
    assert!(!templates.is_empty() && !messages.is_empty());
    for t in &templates {
        assert_eq!(provider.validate(t), vec![], "{name}: {}", t.name);
        provider
            .create_template(t)
            .await
            .unwrap_or_else(|e| panic!("{name} {}: {e}", t.name));
        assert!(
            sandbox.approve(&t.name, &t.language),
            "{name}: approve {}",
            t.name
        );
    }
    for m in &messages {
        assert!(
            templates.iter().any(|t| t.name == m.template),
            "the README's message names a README template"
        );
        provider
            .send(m)
            .await
            .unwrap_or_else(|e| panic!("{name}: send to {}: {e}", m.template));
    }
}

#[tokio::test]
async fn the_readmes_templates_and_messages_work_on_every_provider() {
    let memory = MemoryProvider::new().with_review(Review::Manual);
    works_on("memory", &memory, &memory).await;

    let sandboxes = registry::start_sandboxes(raw::SandboxOptions::default())
        .await
        .unwrap();
    assert!(sandboxes.len() >= 3, "NXCloud, Alibaba and Meta at least");
    for sb in &sandboxes {
        let client =
            Client::from_profile("sandbox", &Value::Object(sb.profile()), &|_: &str| None).unwrap();
        works_on(sb.provider(), client.provider(), sb.as_ref()).await;
    }
}

/// The README's first template, as it was before (a header `{{1}}` whose example is not the
/// body's): cams says so at once, naming the tie, instead of failing the send later.
#[test]
fn a_template_whose_tied_examples_differ_is_refused_for_cams() {
    let mut doc = json_blocks()
        .into_iter()
        .find(|b| b.get("components").is_some())
        .unwrap();
    doc["components"][0]["example"]["header_text"] = serde_json::json!(["#1234"]);
    let t = Template::from_value(&doc).unwrap();
    let cams = AlibabaProvider::new(
        wabakit::alibaba::AlibabaConfig::builder()
            .access_key_id("ak")
            .access_key_secret("sk")
            .cust_space_id("cams-1")
            .from("6580000000")
            .build()
            .unwrap(),
    )
    .unwrap();
    let problems = cams.validate(&t);
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.rule, p.path.as_str()))
            .collect::<Vec<_>>(),
        [(
            "unsupported.shared_variable",
            "components[0].example.header_text"
        )]
    );
    assert!(
        problems[0].message.contains("body's {{1}}") && problems[0].message.contains("\"1234\""),
        "{}",
        problems[0]
    );
    assert!(
        t.validate().is_empty(),
        "a provider with a set of variables per component takes it"
    );
}
