//! cams' errors over HTTP: its codes and statuses as typed errors (auth, clock skew, a reused
//! nonce, an error code under HTTP 200, the provider's own refusal).

use std::sync::Arc;
use std::time::Duration;

use wabakit_alibaba::fake::{FakeCams, FakeOptions};
use wabakit_alibaba::{AlibabaProvider, SignatureVersion};
use wabakit_conformance::order_update;
use wabakit_core::raw::*;
use wabakit_core::*;

mod common;
use common::{fast, setup};

#[tokio::test]
async fn modifying_an_approved_template_fails_with_the_providers_error() {
    let (fake, client) = setup(FakeOptions::default()).await;
    let code = client
        .create_template(&order_update("locked"))
        .await
        .unwrap()
        .id()
        .unwrap()
        .clone();
    assert!(fake.approve("locked", "en_US"));
    let e = client
        .update_template(&code, &order_update("locked"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (
            ErrorKind::Provider,
            Some("InvalidParameter.AuditStatusNotSupport")
        )
    );
    assert!(e.request_id().is_some());
    assert!(!client.capabilities().can_edit(&TemplateStatus::Approved));
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error() {
    for signature in [SignatureVersion::V3, SignatureVersion::V1] {
        let fake = FakeCams::start(FakeOptions::default()).await.unwrap();
        let mut cfg = fast(fake.client_config());
        cfg.access_key_secret = Secret::new("not-the-secret");
        cfg.signature = signature;
        let e = AlibabaProvider::new(cfg)
            .unwrap()
            .create_template(&order_update("x"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::Auth, Some("SignatureDoesNotMatch")),
            "{signature:?}"
        );
        assert_eq!(fake.requests().len(), 1, "not retried");
        assert!(!format!("{e:?}").contains("not-the-secret"));
    }
}

#[tokio::test]
async fn a_date_more_than_15_minutes_off_is_a_clock_skew_error() {
    let fake = FakeCams::start(FakeOptions::default()).await.unwrap();
    let client = AlibabaProvider::new(fast(fake.client_config()))
        .unwrap()
        .with_clock(Arc::new(OffsetClock(-20 * 60 * 1000)));
    let e = client
        .list_templates(&ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::ClockSkew, Some("InvalidTimeStamp.Expired"))
    );
}

#[tokio::test]
async fn a_replayed_request_is_refused_for_its_nonce() {
    let fake = FakeCams::start(FakeOptions::default()).await.unwrap();
    let client = AlibabaProvider::new(fast(fake.client_config())).unwrap();
    let now = SystemClock.unix_millis();
    let req = client
        .render(
            &Operation::ListTemplates(ListQuery::default()),
            &Pinned {
                unix_millis: now,
                nonce: "00112233445566778899aabbccddeeff".into(),
            },
        )
        .unwrap();
    let t = Transport::new("test", &TransportConfig::default()).unwrap();
    assert_eq!(t.send(req.clone()).await.unwrap().status, 200);
    let again = t.send(req).await.unwrap();
    assert_eq!(again.status, 400);
    assert!(String::from_utf8_lossy(&again.body).contains("SignatureNonceUsed"));
}

#[tokio::test]
async fn http_200_with_an_error_code_is_an_error() {
    // The gateway's codes come with HTTP 400 from the fake; cams may also answer HTTP 200 with Code ≠ OK.
    let resp = HttpResponse {
        status: 200,
        headers: Default::default(),
        body: r#"{"RequestId":"R1","Code":"InvalidParameter.LanguageNotSupport","Message":"language xx","AccessDeniedDetail":"d"}"#.into(),
    };
    let e = wabakit_alibaba::response::interpret::<serde_json::Value>(resp).unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.request_id(), e.message()),
        (
            ErrorKind::Provider,
            Some("InvalidParameter.LanguageNotSupport"),
            Some("R1"),
            "language xx"
        )
    );
    assert_eq!(e.details().unwrap()["AccessDeniedDetail"], "d");
    let throttled = HttpResponse {
        status: 400,
        headers: [(
            HeaderName::from_static("x-acs-retry-after"),
            HeaderValue::from_static("3"),
        )]
        .into_iter()
        .collect(),
        body: r#"{"RequestId":"R2","Code":"System.LimitControl","Message":"flow control"}"#.into(),
    };
    let e = wabakit_alibaba::response::interpret::<serde_json::Value>(throttled).unwrap_err();
    assert_eq!(
        (e.kind(), e.retry_after(), e.request_id()),
        (
            ErrorKind::RateLimited,
            Some(Duration::from_secs(3)),
            Some("R2")
        )
    );
}
