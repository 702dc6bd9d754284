//! The Meta client against the fake Graph API, over real HTTP on 127.0.0.1.

use std::time::Duration;

use serde_json::{json, Value};
use wabakit_conformance::{run_all, FakeHarness};
use wabakit_core::fake::{callback_receiver, next_callbacks};
use wabakit_core::*;
use wabakit_meta::fake::{FakeMeta, FakeOptions, Fault, FaultKind};
use wabakit_meta::{MetaConfig, MetaProvider, Proof};

/// Retries without waiting long: the fake answers at once, and has no hourly template quota.
fn fast(mut cfg: MetaConfig) -> MetaConfig {
    cfg.transport.retry = wabakit_conformance::quick_retries();
    cfg.transport.request_timeout = Duration::from_secs(5);
    cfg.transport.qps.push(("create_template".into(), 1000));
    cfg
}

async fn setup_with(opts: FakeOptions) -> (FakeMeta, MetaProvider) {
    let fake = FakeMeta::start(opts).await.unwrap();
    let client = MetaProvider::new(fast(fake.client_config())).unwrap();
    (fake, client)
}

async fn setup() -> (FakeMeta, MetaProvider) {
    setup_with(FakeOptions::default()).await
}

fn query_of(target: &str) -> Vec<(String, String)> {
    target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default()
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test]
async fn conformance_scenarios_pass_against_the_fake() {
    let (fake, client) = setup().await;
    let h = FakeHarness {
        provider: client,
        fake,
    };
    let passed = run_all(&h, "meta").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(passed.len(), wabakit_conformance::scenarios().len());
}

#[tokio::test]
async fn template_lifecycle_over_every_endpoint() {
    let (fake, client) = setup().await;
    let t = wabakit_conformance::rich_update("life");
    let r = client.create_template(&t).await.unwrap();
    let id = r.id().unwrap().clone();
    assert_eq!(r.status(), Some(&TemplateStatus::Pending));
    let req = fake.requests().pop().unwrap();
    assert_eq!(req.method, "POST");
    assert!(
        req.target
            .starts_with("/v23.0/102290129340398/message_templates?appsecret_proof="),
        "{}",
        req.target
    );
    assert_eq!(
        req.header("authorization"),
        Some("Bearer EAAGfake-system-user-token")
    );
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body["components"],
        serde_json::to_value(&t.components).unwrap()
    );

    assert!(fake.approve("life", "en_US"));
    let info = client
        .get_template(&TemplateQuery::by_id(id.as_str()))
        .await
        .unwrap();
    assert_eq!(
        (info.name.as_str(), &info.status),
        ("life", &TemplateStatus::Approved)
    );
    assert_eq!(
        info.template.as_ref(),
        Some(&t),
        "the template reads back whole"
    );

    let edited = wabakit_conformance::order_update_edited("life");
    client.update_template(&id, &edited).await.unwrap();
    let req = fake.requests().pop().unwrap();
    assert!(
        req.target.starts_with(&format!("/v23.0/{id}?")),
        "{}",
        req.target
    );
    let stored = fake.templates().into_iter().find(|x| x.id == id.0).unwrap();
    assert_eq!(
        stored.components,
        serde_json::to_value(&edited.components).unwrap()
    );
    assert_eq!(stored.status, "PENDING");

    assert!(fake.approve("life", "en_US"));
    client
        .get_template(&TemplateQuery::by_name("life", "en_US"))
        .await
        .unwrap();
    let receipt = client
        .send(&wabakit_conformance::order_message("life"))
        .await
        .unwrap();
    assert!(receipt.message_id.starts_with("wamid."), "{receipt:?}");
    assert_eq!(receipt.recipient_id.as_deref(), Some("8613600009759"));
    assert_eq!(receipt.client_ref.as_deref(), Some("life-1234-shipped"));
    let d = fake.delivered();
    assert_eq!(d[0].callback_data.as_deref(), Some("life-1234-shipped"));
    assert_eq!(d[0].to, "8613600009759");

    client
        .delete_template(&TemplateQuery::by_name("life", "en_US"))
        .await
        .unwrap();
    // Deleted by name and id: the spec's advice, so no other language goes with it.
    let req = fake.requests().pop().unwrap();
    assert_eq!(req.method, "DELETE");
    let q = query_of(&req.target);
    assert_eq!(
        &q[..2],
        &[
            ("name".into(), "life".into()),
            ("hsm_id".into(), id.0.clone())
        ]
    );
    assert!(fake.templates().is_empty());
}

#[tokio::test]
async fn delete_by_name_alone_takes_every_language() {
    let (fake, client) = setup().await;
    let mut es = wabakit_conformance::order_update("multi");
    es.language = "es_ES".into();
    client
        .create_template(&wabakit_conformance::order_update("multi"))
        .await
        .unwrap();
    client.create_template(&es).await.unwrap();
    client
        .delete_template(&TemplateQuery {
            name: Some("multi".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = fake.requests().pop().unwrap();
    assert_eq!(query_of(&req.target)[0], ("name".into(), "multi".into()));
    assert!(!req.target.contains("hsm_id"));
    assert!(fake.templates().is_empty());
}

#[tokio::test]
async fn listing_pages_with_cursors_and_filters() {
    let (fake, client) = setup().await;
    for i in 0..5 {
        client
            .create_template(&wabakit_conformance::order_update(&format!("page_{i}")))
            .await
            .unwrap();
    }
    assert!(fake.approve("page_3", "en_US"));
    let mut q = ListQuery {
        limit: 2,
        ..Default::default()
    };
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        let p = client.list_templates(&q).await.unwrap();
        pages += 1;
        names.extend(p.items.into_iter().map(|i| i.name));
        match p.next {
            Some(n) => q.cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["page_0", "page_1", "page_2", "page_3", "page_4"]);
    let approved = client
        .list_templates(&ListQuery {
            status: Some(TemplateStatus::Approved),
            ..Default::default()
        })
        .await
        .unwrap();
    let names: Vec<_> = approved.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["page_3"]);
    let req = fake.requests().pop().unwrap();
    assert!(query_of(&req.target).contains(&("status".into(), "APPROVED".into())));
}

#[tokio::test]
async fn upload_gives_a_header_handle_over_the_resumable_api() {
    let (fake, client) = setup().await;
    let file = b"%PDF-1.4 a receipt";
    let handle = client
        .upload_template_file(file, "application/pdf", "receipt.pdf")
        .await
        .unwrap();
    assert!(handle.starts_with("4::"), "{handle}");
    let reqs = fake.requests();
    let (start, bytes) = (&reqs[reqs.len() - 2], &reqs[reqs.len() - 1]);
    assert!(start
        .target
        .starts_with("/v23.0/634974688087057/uploads?file_name=receipt.pdf&file_length=18&file_type=application%2Fpdf&appsecret_proof="));
    assert!(
        bytes.target.starts_with("/v23.0/upload:"),
        "{}",
        bytes.target
    );
    assert_eq!(
        bytes.header("authorization"),
        Some("OAuth EAAGfake-system-user-token")
    );
    assert_eq!(bytes.header("file_offset"), Some("0"));
    assert_eq!(bytes.body, file);

    // Without an app id there is nowhere to upload to: a config error before any request.
    let mut cfg = fast(fake.client_config());
    cfg.app_id = None;
    let e = MetaProvider::new(cfg)
        .unwrap()
        .upload_template_file(file, "application/pdf", "receipt.pdf")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(fake.requests().len(), reqs.len());
}

#[tokio::test]
async fn a_wrong_token_or_proof_is_refused_as_meta_does() {
    let fake = FakeMeta::start(FakeOptions::default()).await.unwrap();
    let mut cfg = fast(fake.client_config());
    cfg.access_token = Secret::new("EAAG-someone-else");
    let e = MetaProvider::new(cfg)
        .unwrap()
        .list_templates(&ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some("190")));
    assert_eq!(e.request_id(), Some("AfakeTraceAuth"));

    let mut cfg = fast(fake.client_config());
    cfg.app_secret = Some(Secret::new("not-the-app-secret"));
    let e = MetaProvider::new(cfg)
        .unwrap()
        .list_templates(&ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("100"));
    assert!(e.to_string().contains("Invalid appsecret_proof"), "{e}");

    // The plain proof (no appsecret_time) is accepted too.
    let mut cfg = fast(fake.client_config());
    cfg.proof = Proof::Plain;
    MetaProvider::new(cfg)
        .unwrap()
        .list_templates(&ListQuery::default())
        .await
        .unwrap();
    let req = fake.requests().pop().unwrap();
    let q = query_of(&req.target);
    assert!(q.iter().any(|(k, _)| k == "appsecret_proof"));
    assert!(!q.iter().any(|(k, _)| k == "appsecret_time"));
}

/// An approved template and a client that knows it.
async fn ready(fake_opts: FakeOptions) -> (FakeMeta, MetaProvider) {
    let (fake, client) = setup_with(FakeOptions {
        instant_review: true,
        ..fake_opts
    })
    .await;
    client
        .create_template(&wabakit_conformance::order_update("pair"))
        .await
        .unwrap();
    client
        .get_template(&TemplateQuery::by_name("pair", "en_US"))
        .await
        .unwrap();
    (fake, client)
}

fn to(number: &str) -> TemplateMessage {
    let mut m = wabakit_conformance::order_message("pair");
    m.to = number.into();
    m
}

#[tokio::test]
async fn the_pair_rate_limit_holds_one_recipient_and_no_other() {
    let (fake, client) = ready(FakeOptions {
        pair_burst: 1,
        ..Default::default()
    })
    .await;
    // A retry after Meta's six seconds would pass this test's deadline: the error comes back.
    let mut cfg = fast(fake.client_config());
    cfg.transport.retry = RetryPolicy::default()
        .with_max_attempts(3)
        .with_deadline(Duration::from_secs(1));
    let client2 = MetaProvider::new(cfg).unwrap();
    client.send(&to("+8613600000001")).await.unwrap();
    // The same user again within the window: 131056, about that user only.
    client2
        .get_template(&TemplateQuery::by_name("pair", "en_US"))
        .await
        .unwrap();
    let e = client2.send(&to("+8613600000001")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::RateLimited, Some("131056"))
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(6)));
    assert!(e.not_sent(), "{e}");
    assert_eq!(
        e.details().unwrap()["error_data"]["details"],
        json!("Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.")
    );
    // Not repeated against that user within the window: one request each.
    let to_first = fake
        .requests()
        .iter()
        .filter(|r| r.target.contains("/messages"))
        .filter(|r| String::from_utf8_lossy(&r.body).contains(r#""to":"8613600000001""#))
        .count();
    assert_eq!(to_first, 2);
    // Other recipients go on at once.
    for n in ["+8613600000002", "+8613600000003"] {
        client2.send(&to(n)).await.unwrap();
    }
    assert_eq!(fake.delivered().len(), 3);
}

#[tokio::test]
async fn every_message_status_and_template_decision_arrives_signed() {
    let (url, mut rx) = callback_receiver().await.unwrap();
    let (fake, client) = ready(FakeOptions {
        webhook_url: Some(url),
        ..Default::default()
    })
    .await;
    let secret = fake.options().app_secret.clone().unwrap();
    // The creation's approval.
    let approved = next_callbacks(&mut rx, 1).await.unwrap();
    let events =
        wabakit_meta::callbacks::parse_checked(&approved[0].0, &approved[0].1, Some(&secret))
            .unwrap();
    assert!(
        matches!(&events[0].body, EventBody::TemplateStatus { status: TemplateStatus::Approved, name: Some(n), .. } if n == "pair")
    );

    let r = client.send(&to("+8613600009759")).await.unwrap();
    let posts = next_callbacks(&mut rx, 3).await.unwrap();
    let mut seen = Vec::new();
    for (headers, body) in &posts {
        // The provider's own entry point verifies with the configured app secret.
        let events = client.parse_callback(headers, body).unwrap();
        let EventBody::MessageStatus {
            message_id,
            client_ref,
            status,
            ..
        } = &events[0].body
        else {
            panic!("{events:?}");
        };
        assert_eq!(message_id, &r.message_id);
        assert_eq!(client_ref.as_deref(), Some("pair-1234-shipped"));
        assert_eq!(
            events[0].raw["value"]["metadata"]["phone_number_id"],
            json!("106540352242922")
        );
        seen.push(status.clone());
    }
    assert_eq!(
        seen,
        [
            MessageStatus::Sent,
            MessageStatus::Delivered,
            MessageStatus::Read
        ]
    );
    // A body altered in transit is refused.
    let (headers, body) = &posts[0];
    let mut altered = body.clone();
    altered.push(b' ');
    let e = client.parse_callback(headers, &altered).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn faults_are_classified_and_retried_only_when_safe() {
    let (fake, client) = ready(FakeOptions::default()).await;
    // Throughput (130429) is retried: Meta refused, nothing was sent.
    fake.inject(Fault::code("130429", "Rate limit hit").on("send"));
    client.send(&to("+8613600000004")).await.unwrap();
    // A send whose answer is lost may have been delivered: never repeated.
    fake.inject(Fault::new(FaultKind::DropAfter).on("send"));
    let before = fake.delivered().len();
    let e = client.send(&to("+8613600000005")).await.unwrap_err();
    assert!(!e.not_sent(), "{e}");
    assert_eq!(
        fake.delivered().len(),
        before + 1,
        "acted on once, not resent"
    );
    // A read is repeated after a transient failure.
    fake.inject(Fault::code("131000", "Something went wrong").on("list_templates"));
    client.list_templates(&ListQuery::default()).await.unwrap();
    // A 200 that carries an error object is an error.
    fake.inject(Fault::reply(json!({"error": {"code": 132001, "message": "(#132001) Template name does not exist in the translation", "fbtrace_id": "Ftrace"}})).on("send"));
    let e = client.send(&to("+8613600000006")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.request_id()),
        (ErrorKind::NotFound, Some("Ftrace"))
    );
}

#[tokio::test]
async fn only_approved_rejected_or_paused_templates_may_be_edited() {
    let (fake, client) = setup().await;
    let t = wabakit_conformance::order_update("in_review");
    let id = client
        .create_template(&t)
        .await
        .unwrap()
        .id()
        .unwrap()
        .clone();
    // In review: Meta refuses the edit, and says why.
    let e = client
        .update_template(&id, &wabakit_conformance::order_update_edited("in_review"))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Validation, Some("100")));
    assert!(
        e.to_string()
            .contains("a PENDING template cannot be edited"),
        "{e}"
    );
    // Approved: the edit goes back to review; its category stays.
    assert!(fake.approve("in_review", "en_US"));
    client
        .update_template(&id, &wabakit_conformance::order_update_edited("in_review"))
        .await
        .unwrap();
    assert_eq!(fake.templates()[0].status, "PENDING");
    assert!(fake.approve("in_review", "en_US"));
    let mut marketing = wabakit_conformance::order_update_edited("in_review");
    marketing.category = Some(Category::Marketing);
    client
        .get_template(&TemplateQuery::by_id(id.as_str()))
        .await
        .unwrap();
    // This client knows it approved as UTILITY: refused before sending, with the rule.
    let sent = fake.requests().len();
    let e = client.update_template(&id, &marketing).await.unwrap_err();
    assert_eq!(e.problems()[0].rule, "update.category");
    assert_eq!(fake.requests().len(), sent);
}

/// A currency and a date_time value reach the fake's send as Meta's parameter objects (spec
/// §3) and count as the body's values, as WhatsApp counts them.
#[tokio::test]
async fn typed_body_values_are_sent_and_counted() {
    let (fake, client) = ready(FakeOptions::default()).await;
    let mut m = to("+8613600000001");
    let n = m.body.len();
    assert_eq!(n, 2, "order_update takes two body values");
    m.body = Params::Positional(vec![
        BodyValue::Currency(CurrencyValue {
            fallback_value: "$100.99".into(),
            code: "USD".into(),
            amount_1000: 100990,
        }),
        BodyValue::DateTime(DateTimeValue {
            fallback_value: "February 25, 1977".into(),
        }),
    ]);
    client.send(&m).await.unwrap();
    let sent = fake
        .requests()
        .into_iter()
        .rfind(|r| r.target.contains("/messages"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body.pointer("/template/components/0/parameters").unwrap(),
        &json!([
            {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
            {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}
        ])
    );
}
