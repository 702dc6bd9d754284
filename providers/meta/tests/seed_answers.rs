//! The answer examples of the project's Meta spec (`tests/data/vendor/meta-spec/*.answer_*`),
//! fed to the client over real HTTP by the fake (`Fault::reply` answers exactly them, with
//! HTTP 200), and what the neutral results keep of them.

use serde_json::Value;
use wabakit_core::*;
use wabakit_meta::fake::{FakeMeta, FakeOptions, Fault};
use wabakit_meta::MetaProvider;

fn spec(n: &str) -> Value {
    wabakit_testdata::json(&format!("meta-spec/{n}"))
}

async fn answering(op: &str, answer: &str) -> (FakeMeta, MetaProvider) {
    let fake = FakeMeta::start(FakeOptions::default()).await.unwrap();
    fake.inject(Fault::reply(spec(answer)).on(op));
    let mut cfg = fake.client_config();
    cfg.transport.retry = RetryPolicy::default().with_max_attempts(1);
    let client = MetaProvider::new(cfg).unwrap();
    (fake, client)
}

#[tokio::test]
async fn create_keeps_the_id_and_status() {
    let (_fake, c) = answering("create_template", "create_template.answer_success.json").await;
    let t = Template::from_value(&spec("create_template.request.json")).unwrap();
    let r = c.create_template(&t).await.unwrap();
    assert_eq!(r.id(), Some(&TemplateId::new("1689556908129832")));
    assert_eq!(r.status(), Some(&TemplateStatus::Pending));
}

#[tokio::test]
async fn send_keeps_the_wamid_and_the_wa_id() {
    let (_fake, c) = answering("send", "send.answer_success.json").await;
    let m = TemplateMessage::from_value(&serde_json::json!({
        "to": "+16505551234", "template": "order_confirmation", "language": "en_US",
        "body": ["Mark", "860198-230332"], "client_ref": "tpl:order_confirmation:8812"
    }))
    .unwrap();
    let r = c.send(&m).await.unwrap();
    assert_eq!(
        r,
        Receipt {
            message_id: "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QzU1RDk2RjU0NUNBODQ4QUQA".into(),
            client_ref: Some("tpl:order_confirmation:8812".into()),
            request_id: None,
            recipient_id: Some("16505551234".into()),
        }
    );
}

#[tokio::test]
async fn a_list_page_reads_its_templates_and_cursor() {
    let (_fake, c) = answering("list_templates", "list_templates.answer_success.json").await;
    let p = c.list_templates(&ListQuery::default()).await.unwrap();
    assert_eq!(p.next.as_deref(), Some("MjQZD"));
    let i = &p.items[0];
    assert_eq!(
        (
            i.id.as_str(),
            i.name.as_str(),
            i.language.as_str(),
            &i.status,
            i.category.as_str()
        ),
        (
            "920070352646140",
            "2023_april_promo",
            "en_US",
            &TemplateStatus::Approved,
            "MARKETING"
        )
    );
    let t = i.template.as_ref().expect("reads as a neutral document");
    assert_eq!(t.components.len(), 2);
}

#[tokio::test]
async fn an_error_object_is_kept_whole_even_with_http_200() {
    let (_fake, c) = answering("send", "send.answer_failure.json").await;
    let m = a_message();
    let e = c.send(&m).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::RateLimited, Some("131056"))
    );
    assert_eq!(e.request_id(), Some("A4O5a8RAgePwbcGSu"));
    assert_eq!(
        e.details(),
        Some(&spec("send.answer_failure.json")["error"])
    );
    assert!(e.not_sent());
}

fn a_message() -> TemplateMessage {
    TemplateMessage::from_value(&serde_json::json!({
        "to": "+16505551234", "template": "order_confirmation", "language": "en_US"
    }))
    .unwrap()
}
