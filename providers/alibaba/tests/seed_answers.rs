//! The ModifyChatappTemplate page's answer example and error codes (seed 003), served over real
//! HTTP and read by the client: what the answer carries stays on the neutral result.

use serde_json::Value;
use wabakit_alibaba::fake::{FakeCams, FakeOptions, Fault};
use wabakit_alibaba::AlibabaProvider;
use wabakit_conformance::order_update;
use wabakit_core::*;

async fn answering(fault: Fault) -> (FakeCams, AlibabaProvider) {
    let fake = FakeCams::start(FakeOptions::default()).await.unwrap();
    fake.inject(fault);
    let mut cfg = fake.client_config();
    cfg.transport.retry.max_attempts = 1;
    (fake, AlibabaProvider::new(cfg).unwrap())
}

fn seed_003_answer() -> Value {
    wabakit_testdata::json("seed-003/modify_template.answer_success.json")
}

/// Seed 003's answer: `Data.TemplateCode`, `Data.TemplateName` and `RequestId` are the ref's id,
/// name and request id; its placeholder `Message` and `AccessDeniedDetail` ("无") are no error.
#[tokio::test]
async fn seed_003_modify_answer_keeps_code_name_and_request_id() {
    let (_f, c) = answering(Fault::reply(seed_003_answer())).await;
    let r = c
        .update_template(
            &TemplateId::new("8472929283883"),
            &order_update("hello_whatsapp"),
        )
        .await
        .unwrap();
    assert_eq!(
        r,
        TemplateRef {
            name: "hello_whatsapp".into(),
            language: "en_US".into(),
            state: RefState::Updated {
                id: TemplateId::new("8472929283883"),
                status: TemplateStatus::Pending
            },
            request_id: Some("90E63D28-E31D-1EB2-8939-A9486641****".into()),
        }
    );
}

/// CreateChatappTemplate answers in the same shape (spec §5.1): a created ref under the code.
#[tokio::test]
async fn seed_003_answer_shape_on_create_is_a_created_ref() {
    let (_f, c) = answering(Fault::reply(seed_003_answer())).await;
    let r = c
        .create_template(&order_update("hello_whatsapp"))
        .await
        .unwrap();
    assert_eq!(
        (r.id(), r.request_id.as_deref()),
        (
            Some(&TemplateId::new("8472929283883")),
            Some("90E63D28-E31D-1EB2-8939-A9486641****")
        )
    );
    assert!(matches!(r.state, RefState::Created { .. }));
}

/// Seed 003's error codes (HTTP 400): each has its kind, keeps its code and the request id, and
/// only flow control is worth another try.
#[tokio::test]
async fn seed_003_error_codes_have_their_kinds() {
    for (code, message, kind) in [
        (
            "Product.Unsubscript",
            "You have not subscribed to the specified product.",
            ErrorKind::Config,
        ),
        (
            "Ram.PermissionDeny",
            "You are not authorized to perform the operation.",
            ErrorKind::Auth,
        ),
        (
            "System.LimitControl",
            "The system is under flow control.",
            ErrorKind::RateLimited,
        ),
        (
            "Unknown.ResourceOwnerId",
            "The resource does not belong to the current user.",
            ErrorKind::Config,
        ),
    ] {
        let (_f, c) = answering(Fault::code(code, message)).await;
        let e = c
            .update_template(
                &TemplateId::new("8472929283883"),
                &order_update("hello_whatsapp"),
            )
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.message(), e.http_status()),
            (kind, Some(code), message, Some(400)),
            "{code}"
        );
        assert!(e.request_id().is_some(), "{code}: the request id is kept");
        assert_eq!(e.retryable(), kind == ErrorKind::RateLimited, "{code}");
        assert!(e.not_sent(), "{code}");
    }
}
