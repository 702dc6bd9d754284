//! Every answer example of the NXCloud pages (seeds 000, 001, 002, 004), served as the vendor
//! wrote it over real HTTP and read by the client: what it carries stays on the neutral result.

use serde_json::{json, Value};
use wabakit_core::*;
use wabakit_nxcloud::fake::{FakeNxcloud, FakeOptions, Fault};
use wabakit_nxcloud::NxcloudProvider;

/// A client of a fake that answers its next request with `answer` (and then acts normally).
async fn answering(
    answer: Value,
    configure: impl FnOnce(&mut wabakit_nxcloud::NxcloudConfig),
) -> (FakeNxcloud, NxcloudProvider) {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    fake.inject(Fault::reply(answer));
    let mut cfg = fake.client_config();
    cfg.transport.retry.max_attempts = 1;
    configure(&mut cfg);
    (fake, NxcloudProvider::new(cfg).unwrap())
}

/// The template of seed 000's updateTemplate request.
fn seed_000_template() -> Template {
    let req = wabakit_testdata::json("seed-000/update_template.request.json");
    Template::from_value(
        &json!({"name": "otp_test", "language": "en", "category": req["category"],
                                 "components": req["components"]}),
    )
    .unwrap()
}

/// An update of seed 000's template, as id 15125xxxx5168.
async fn update(c: &NxcloudProvider) -> Result<TemplateRef> {
    c.update_template(&TemplateId::new("15125xxxx5168"), &seed_000_template())
        .await
}

/// Seed 000 answers an edit with `data.success: true`: the template is updated, under its id.
#[tokio::test]
async fn seed_000_update_answer_success_is_an_update() {
    let (_f, c) = answering(
        wabakit_testdata::json("seed-000/update_template.answer_success.json"),
        |_| {},
    )
    .await;
    let r = update(&c).await.unwrap();
    assert_eq!(
        r.state,
        RefState::Updated {
            id: TemplateId::new("15125xxxx5168"),
            status: TemplateStatus::Pending
        }
    );
    assert_eq!((r.name.as_str(), r.request_id), ("otp_test", None));
}

/// `code: 0` with `data.success: false` (seed 000's answer with the flag the other way) did not
/// update anything: an error, not a success.
#[tokio::test]
async fn seed_000_update_answer_with_success_false_is_an_error() {
    let mut answer = wabakit_testdata::json("seed-000/update_template.answer_success.json");
    answer["data"]["success"] = json!(false);
    let (_f, c) = answering(answer, |_| {}).await;
    let e = update(&c).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.delivery(), e.retryable()),
        (ErrorKind::Provider, Delivery::NotSent, false)
    );
    assert!(e.message().contains("success: false"), "{e}");
    assert_eq!(e.details(), Some(&json!({"success": false})));
}

/// Seed 001 answers an edit with `data.id`: the id the answer names is the ref's.
#[tokio::test]
async fn seed_001_update_answer_success_carries_the_id() {
    let (_f, c) = answering(
        wabakit_testdata::json("seed-001/update_template.answer_success.json"),
        |_| {},
    )
    .await;
    let r = update(&c).await.unwrap();
    assert_eq!(r.id(), Some(&TemplateId::new("900xxx0755")));
    assert_eq!(
        r.state,
        RefState::Updated {
            id: TemplateId::new("900xxx0755"),
            status: TemplateStatus::Pending
        }
    );
}

/// The failure examples of seeds 000, 001 and 002: code -1 and the vendor's message.
#[tokio::test]
async fn seed_000_001_002_failure_answers_are_provider_errors() {
    for (file, message) in [
        ("seed-000/update_template.answer_failure.json", "请求失败"),
        (
            "seed-001/update_template.answer_failure.json",
            "Request failed",
        ),
        (
            "seed-002/create_template_async.answer_failure.json",
            "请求失败",
        ),
    ] {
        let (_f, c) = answering(wabakit_testdata::json(file), |_| {}).await;
        let e = c
            .update_template(&TemplateId::new("1"), &seed_000_template())
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.message()),
            (ErrorKind::Provider, Some("-1"), message),
            "{file}"
        );
        assert!(e.not_sent() && !e.retryable(), "{file}");
    }
}

/// Seed 002 answers createTemplateAsync with a `requestId`: the ref is pending under it (its
/// callback names the same id).
#[tokio::test]
async fn seed_002_async_create_answer_is_pending_under_its_request_id() {
    let (_f, c) = answering(
        wabakit_testdata::json("seed-002/create_template_async.answer_success.json"),
        |cfg| cfg.async_create = true,
    )
    .await;
    let ex = wabakit_testdata::json("seed-002/create_template_async.request.normal_text.json");
    let t = Template::from_value(&json!({"name": ex["name"], "language": ex["language"],
        "category": ex["category"], "components": ex["components"]}))
    .unwrap();
    let r = c.create_template(&t).await.unwrap();
    assert_eq!(
        (r.state, r.request_id.as_deref()),
        (RefState::Pending, Some("d167cd24738d4e6094e0319f5a4073f7"))
    );
    assert_eq!(
        (r.name.as_str(), r.language.as_str()),
        ("normal_text", "zh_CN")
    );
}

/// Seed 004 answers the SAAS send with `data.message_id` and a `traceId`: the receipt keeps both.
#[tokio::test]
async fn seed_004_saas_send_answer_keeps_message_id_and_trace_id() {
    let (_f, c) = answering(
        wabakit_testdata::json("seed-004/saas_send.answer_success.json"),
        |cfg| cfg.tenant_id = Some(1),
    )
    .await;
    let m = TemplateMessage::from_value(
        &json!({"to": "+86 136 0000 9759", "template": "text_template",
        "language": "en_US", "body": ["David"]}),
    )
    .unwrap();
    let r = c.send(&m).await.unwrap();
    assert_eq!(
        r,
        Receipt {
            message_id: "gBGGhSNXV1dfAglVQ0RRuE3YWhc".into(),
            client_ref: None,
            request_id: Some("56bf81643292cd6a89ecde64ae00db13".into()),
            recipient_id: None,
        }
    );
}
