//! The NXCloud client against the fake NXCloud, over real HTTP on 127.0.0.1.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use wabakit_conformance::{run_all, FakeHarness};
use wabakit_core::*;
use wabakit_nxcloud::fake::{FakeNxcloud, FakeOptions, Fault, FaultKind};
use wabakit_nxcloud::{NxcloudConfig, NxcloudProvider};

/// Retries without waiting long: the fake answers at once.
fn fast(mut cfg: NxcloudConfig) -> NxcloudConfig {
    cfg.transport.retry = wabakit_conformance::quick_retries();
    cfg.transport.request_timeout = Duration::from_secs(5);
    cfg
}

async fn setup() -> (FakeNxcloud, NxcloudProvider) {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    let client = NxcloudProvider::new(fast(fake.client_config())).unwrap();
    (fake, client)
}

#[tokio::test]
async fn conformance_scenarios_pass_against_the_fake() {
    let (fake, client) = setup().await;
    let h = FakeHarness {
        provider: client,
        fake,
    };
    let passed = run_all(&h, "nx").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(passed.len(), wabakit_conformance::scenarios().len());
}

fn template(name: &str) -> Template {
    wabakit_conformance::rich_update(name)
}

#[tokio::test]
async fn template_lifecycle_over_every_endpoint() {
    let (fake, client) = setup().await;
    let r = client.create_template(&template("life")).await.unwrap();
    let id = r.id().unwrap().clone();
    assert_eq!(r.status(), Some(&TemplateStatus::Pending));
    let req = fake.requests().pop().unwrap();
    assert_eq!(
        (req.path.as_str(), req.action.as_deref()),
        ("/api/wa/createTemplate", Some("createTemplate"))
    );

    assert!(fake.approve("life", "en_US"));
    let info = client
        .get_template(&TemplateQuery::by_name("life", "en_US"))
        .await
        .unwrap();
    assert_eq!(
        (info.id.clone(), info.status.clone()),
        (id.clone(), TemplateStatus::Approved)
    );

    let mut edited = template("life");
    if let Component::Footer(f) = &mut edited.components[2] {
        f.text = Some("Reply STOP to unsubscribe".into());
    }
    client.update_template(&id, &edited).await.unwrap();
    let stored = fake.templates().into_iter().find(|t| t.id == id.0).unwrap();
    assert_eq!(
        stored.components,
        serde_json::to_value(&edited.components).unwrap()
    );
    assert_eq!(stored.status, "PENDING");

    assert!(fake.approve("life", "en_US"));
    let receipt = client
        .send(&wabakit_conformance::rich_message("life"))
        .await
        .unwrap();
    assert_eq!(
        receipt.message_id, "life-1234-shipped",
        "NXCloud echoes cus_message_id as the message id"
    );
    let d = fake.delivered();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].to, "8613600009759");
    // header, body, then the buttons in order: button 1 (the URL) is the fourth component.
    assert_eq!(d[0].body["template"]["components"][3]["index"], json!("1"));
    assert_eq!(
        d[0].body["template"]["components"][3]["sub_type"],
        json!("url")
    );

    client
        .delete_template(&TemplateQuery::by_id(id.as_str()))
        .await
        .unwrap();
    assert!(fake.templates().is_empty());
}

#[tokio::test]
async fn listing_pages_with_cursors() {
    let (_fake, client) = setup().await;
    for i in 0..5 {
        client
            .create_template(&template(&format!("page_{i}")))
            .await
            .unwrap();
    }
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
}

#[tokio::test]
async fn saas_send_uses_the_tenant_and_numeric_indexes() {
    let fake = FakeNxcloud::start(FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut cfg = fast(fake.client_config());
    cfg.tenant_id = Some(7);
    let client = NxcloudProvider::new(cfg).unwrap();
    // What seed 004's SAAS send carries: an image header by link, body text, a URL value.
    let t = Template::from_value(&json!({
        "name": "saas", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4:aW1n"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Track"},
                {"type": "URL", "text": "Open", "url": "https://shop.example/o/{{1}}", "example": ["https://shop.example/o/1234"]}
            ]}
        ]
    }))
    .unwrap();
    client.create_template(&t).await.unwrap();
    let m = TemplateMessage::from_value(
        &json!({"to": "+86 136 0000 9759", "template": "saas", "language": "en_US",
        "header": {"type": "image", "link": "https://cdn.example/p.png"}, "body": ["Ana", "today"],
        "buttons": [{"index": 1, "type": "url", "text": "1234"}], "client_ref": "saas-1234"}),
    )
    .unwrap();
    let r = client.send(&m).await.unwrap();
    // The SAAS send has no cus_message_id: the message id is NXCloud's own.
    assert_ne!(r.message_id, "saas-1234");
    assert_eq!(r.client_ref.as_deref(), Some("saas-1234"));
    let req = fake.requests().pop().unwrap();
    assert_eq!(
        (req.path.as_str(), req.action.as_deref()),
        ("/saas/wa/send", Some("mt"))
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["tenant_id"], json!(7));
    assert_eq!(body["template"]["components"][2]["index"], json!(1));
}

#[tokio::test]
async fn upload_template_file_is_multipart_signed_without_body() {
    let (fake, client) = setup().await;
    let handle = client
        .upload_template_file(b"\x89PNG fake image", "image/png", "banner.png")
        .await
        .unwrap();
    assert!(handle.starts_with("4:"), "{handle}");
    let req = fake.requests().pop().unwrap();
    assert_eq!(req.path, "/api/wa/uploadTemplateFile");
    assert_eq!(req.action.as_deref(), Some("uploadTemplateFile"));
    let body = String::from_utf8_lossy(&req.body);
    assert!(
        body.contains("name=\"file\"; filename=\"banner.png\"\r\nContent-Type: image/png\r\n\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"business_phone\"\r\n\r\n8613800000000\r\n"),
        "{body}"
    );
}

#[tokio::test]
async fn async_create_answers_pending_and_the_outcome_arrives_by_webhook() {
    let (fake, mut hooks) = with_webhooks().await;
    let mut cfg = fast(fake.client_config());
    cfg.async_create = true;
    let client = NxcloudProvider::new(cfg).unwrap();
    let r = client.create_template(&template("later")).await.unwrap();
    assert_eq!(r.state, RefState::Pending, "{r:?}");
    let request_id = r.request_id.as_deref().unwrap();
    let req = fake.requests().pop().unwrap();
    assert_eq!(
        (req.path.as_str(), req.action.as_deref()),
        ("/api/wa/createTemplateAsync", Some("createTemplate"))
    );

    let first = next_hook(&mut hooks).await;
    assert_eq!(first["requestId"], json!(request_id));
    assert_eq!(first["data"]["status"], json!("PENDING"));
    assert!(fake.approve("later", "en_US"));
    let second = next_hook(&mut hooks).await;
    assert_eq!(second["field"], json!("message_template_status_update"));
    assert_eq!(second["value"]["event"], json!("APPROVED"));
    assert_eq!(second["value"]["message_template_name"], json!("later"));
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error_with_code_1003() {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    let mut cfg = fast(fake.client_config());
    cfg.access_secret = Secret::new("not-the-secret");
    let client = NxcloudProvider::new(cfg).unwrap();
    let e = client.create_template(&template("x")).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some("1003")));
    assert!(e.not_sent() && !e.retryable());
    assert_eq!(fake.requests().len(), 1, "an auth failure is not retried");
    assert!(!format!("{e} {e:?}").contains("not-the-secret"));
}

#[tokio::test]
async fn a_clock_two_minutes_off_is_a_clock_skew_error_with_code_1004() {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    let client = NxcloudProvider::new(fast(fake.client_config()))
        .unwrap()
        .with_clock(Arc::new(OffsetClock(120_000)));
    let e = client
        .get_template(&TemplateQuery::by_name("x", "en"))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::ClockSkew, Some("1004")));
    assert!(e.message().contains("timestamp"), "{e}");
}

#[tokio::test]
async fn throttling_is_retried_and_every_attempt_is_signed_afresh() {
    let (fake, client) = setup().await;
    fake.approve("none", "en");
    client.create_template(&template("busy")).await.unwrap();
    fake.approve("busy", "en_US");
    fake.inject(
        Fault::new(FaultKind::Http {
            status: 429,
            retry_after: Some(0),
        })
        .on("/api/wa/mt")
        .times(2),
    );
    client
        .send(&wabakit_conformance::rich_message("busy"))
        .await
        .unwrap();
    let sends: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/wa/mt")
        .collect();
    assert_eq!(sends.len(), 3, "two throttled attempts, then success");
    let mut ts: Vec<_> = sends.iter().map(|r| r.ts.clone().unwrap()).collect();
    let mut signs: Vec<_> = sends.iter().map(|r| r.sign.clone().unwrap()).collect();
    ts.dedup();
    signs.dedup();
    assert_eq!(
        (ts.len(), signs.len()),
        (3, 3),
        "each retry has its own ts and sign"
    );
    assert_eq!(fake.delivered().len(), 1);
}

#[tokio::test]
async fn a_send_that_may_have_been_delivered_is_not_retried() {
    let (fake, client) = setup().await;
    client.create_template(&template("drop")).await.unwrap();
    fake.approve("drop", "en_US");
    for kind in [
        FaultKind::DropAfter,
        FaultKind::Malformed,
        FaultKind::Http {
            status: 502,
            retry_after: None,
        },
    ] {
        fake.inject(Fault::new(kind.clone()).on("/api/wa/mt"));
        let before = fake.requests().len();
        let e = client
            .send(&wabakit_conformance::rich_message("drop"))
            .await
            .unwrap_err();
        assert_eq!(
            e.delivery(),
            Delivery::MayHaveBeenDelivered,
            "{kind:?}: {e}"
        );
        assert!(!e.retryable());
        assert_eq!(
            fake.requests().len(),
            before + 1,
            "{kind:?}: a send is tried once"
        );
    }
    // DropAfter and Malformed acted on the send; the 502 did not get that far.
    assert_eq!(fake.delivered().len(), 2);
}

#[tokio::test]
async fn reads_are_retried_after_a_dropped_connection() {
    let (fake, client) = setup().await;
    client.create_template(&template("read")).await.unwrap();
    fake.inject(Fault::new(FaultKind::DropBefore).on("/api/wa/getTemplate"));
    let info = client
        .get_template(&TemplateQuery::by_name("read", "en_US"))
        .await
        .unwrap();
    assert_eq!(info.name, "read");
    let gets = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/wa/getTemplate")
        .count();
    assert_eq!(gets, 2);
}

#[tokio::test]
async fn error_codes_keep_code_and_message() {
    let (fake, client) = setup().await;
    for (code, kind) in [
        (9005, ErrorKind::Billing),
        (9006, ErrorKind::Config),
        (1005, ErrorKind::Auth),
        (12345, ErrorKind::Provider),
    ] {
        fake.inject(Fault::code(code, format!("code {code} says no")));
        let e = client
            .get_template(&TemplateQuery::by_name("x", "en"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (kind, Some(code.to_string().as_str()))
        );
        assert!(e.message().contains(&format!("code {code} says no")), "{e}");
        assert_eq!(e.provider_name(), Some("nxcloud"));
    }
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_known_not_sent() {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    let mut cfg = fast(fake.client_config());
    drop(fake);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    cfg = cfg.with_endpoint(closed);
    let client = NxcloudProvider::new(cfg).unwrap();
    let e = client
        .send(&wabakit_conformance::rich_message("x"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.delivery()),
        (ErrorKind::Transport, Delivery::NotSent),
        "{e}"
    );
}

#[test]
fn debug_of_client_and_config_never_shows_the_secret() {
    let mut cfg = NxcloudConfig::builder()
        .access_key("ak-visible")
        .access_secret("sk-very-secret-123")
        .app_key("app")
        .business_phone("8613800000000")
        .build()
        .unwrap();
    cfg.webhook_secret = Some(Secret::new("hook-secret-456"));
    let client = NxcloudProvider::new(cfg.clone()).unwrap();
    for text in [
        format!("{cfg:?}"),
        format!("{client:?}"),
        format!("{cfg:#?}"),
    ] {
        // The key id: its first characters only.
        assert!(
            text.contains(r#"KeyId("ak-v"…)"#) && !text.contains("ak-visible"),
            "{text}"
        );
        assert!(
            !text.contains("sk-very-secret-123") && !text.contains("hook-secret-456"),
            "{text}"
        );
    }
}

/// A fake that posts its webhooks to a receiver of the test's.
async fn with_webhooks() -> (FakeNxcloud, wabakit_core::fake::Received) {
    let (url, hooks) = wabakit_core::fake::callback_receiver().await.unwrap();
    let fake = FakeNxcloud::start(FakeOptions {
        webhook_url: Some(url),
        ..Default::default()
    })
    .await
    .unwrap();
    (fake, hooks)
}

/// The next webhook's body, as JSON.
async fn next_hook(rx: &mut wabakit_core::fake::Received) -> serde_json::Value {
    let (_, body) = wabakit_core::fake::next_callbacks(rx, 1)
        .await
        .unwrap()
        .remove(0);
    serde_json::from_slice(&body).unwrap()
}

/// What a user's webhook endpoint sees after a send: the message sent, then delivered.
#[tokio::test]
async fn a_sent_message_is_reported_sent_then_delivered() {
    let (fake, mut hooks) = with_webhooks().await;
    let client = NxcloudProvider::new(fast(fake.client_config())).unwrap();
    client
        .create_template(&wabakit_conformance::order_update("statuses"))
        .await
        .unwrap();
    assert!(fake.approve("statuses", "en_US"));
    let receipt = client
        .send(&wabakit_conformance::order_message("statuses"))
        .await
        .unwrap();
    // The approval's webhook, then the message's two (in the order sent).
    let mut statuses = Vec::new();
    for (headers, body) in wabakit_core::fake::next_callbacks(&mut hooks, 3)
        .await
        .unwrap()
    {
        for e in client.parse_callback(&headers, &body).unwrap() {
            if let EventBody::MessageStatus {
                message_id,
                status,
                recipient,
                ..
            } = e.body
            {
                statuses.push((message_id, status, recipient));
            }
        }
    }
    let to = Some("8613600009759".to_owned());
    assert_eq!(
        statuses,
        vec![
            (receipt.message_id.clone(), MessageStatus::Sent, to.clone()),
            (receipt.message_id, MessageStatus::Delivered, to),
        ]
    );
}

/// Seed 000: a category changes only while the template is rejected. A client that knows the
/// template's state refuses the change before sending, naming the rule; one that does not
/// know it sends, and NXCloud's answer decides.
#[tokio::test]
async fn seed_000_category_change_is_refused_before_sending_when_the_state_is_known() {
    let (fake, client) = setup().await;
    let id = client
        .create_template(&template("recat"))
        .await
        .unwrap()
        .id()
        .unwrap()
        .clone();
    assert!(fake.approve("recat", "en_US"));
    client
        .get_template(&TemplateQuery::by_name("recat", "en_US"))
        .await
        .unwrap();
    let mut changed = template("recat");
    changed.category = Some(Category::Marketing);
    assert_ne!(template("recat").category, changed.category);
    let sent = fake.requests().len();
    let e = client.update_template(&id, &changed).await.unwrap_err();
    assert_eq!(e.problems()[0].rule, "update.category", "{e}");
    assert_eq!(fake.requests().len(), sent, "nothing was sent");
    // Rejected, as read back: the change goes out.
    assert!(fake.reject("recat", "en_US", "INCORRECT_CATEGORY"));
    client
        .get_template(&TemplateQuery::by_name("recat", "en_US"))
        .await
        .unwrap();
    let r = client.update_template(&id, &changed).await.unwrap();
    assert!(matches!(r.state, RefState::Updated { .. }));
    // A client that never saw the template lets NXCloud decide.
    let fresh = NxcloudProvider::new(fast(fake.client_config())).unwrap();
    let before = fake.requests().len();
    let _ = fresh.update_template(&id, &template("recat")).await;
    assert_eq!(fake.requests().len(), before + 1);
}

/// Seed 004 over HTTP: the SAAS send of a template whose body repeats a variable carries its
/// value once per occurrence, only seed 004's fields, and the answer's traceId is the receipt's
/// request id.
#[tokio::test]
async fn seed_004_saas_send_repeats_values_and_keeps_the_trace_id() {
    let (fake, _) = setup().await;
    let mut cfg = fast(fake.client_config());
    cfg.tenant_id = Some(7);
    let client = NxcloudProvider::new(cfg).unwrap();
    let t = Template::from_value(&json!({
        "name": "welcome", "language": "en_US", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Dear {{1}}, welcome to {{2}}! {{2}} is glad to have you.",
                        "example": {"body_text": [["David", "China"]]}}]
    }))
    .unwrap();
    client.create_template(&t).await.unwrap();
    assert!(fake.approve("welcome", "en_US"));
    let m = TemplateMessage::from_value(&json!({"to": "+86 136 0000 9759", "template": "welcome",
        "language": "en_US", "body": ["David", "China"], "client_ref": "w-1"}))
    .unwrap();
    let r = client.send(&m).await.unwrap();
    assert!(r.request_id.is_some(), "{r:?}");
    assert_eq!(r.client_ref.as_deref(), Some("w-1"));
    let sent = &fake.delivered()[0].body;
    assert_eq!(sent.get("cus_message_id"), None);
    let values: Vec<&str> = sent["template"]["components"][0]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["David", "China", "China"]);
}

/// Seed 002: NXCloud answers a duplicate create with -1 这种语言的内容已存在 ("content in this
/// language exists"): a typed error to match, the vendor's message kept.
#[tokio::test]
async fn seed_002_a_duplicate_create_is_already_exists() {
    let (_fake, client) = setup().await;
    client.create_template(&template("twice")).await.unwrap();
    let e = client
        .create_template(&template("twice"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (ErrorKind::AlreadyExists, Some("-1"), "这种语言的内容已存在")
    );
    assert!(e.not_sent() && !e.retryable());
}
