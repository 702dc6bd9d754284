//! What the benchmarks share: the providers, pinned at the vectors' clock and nonce, the
//! requests they render, and the stub runners' message and arguments.

use wabakit::alibaba::{AlibabaConfig, AlibabaProvider};
use wabakit::meta::{MetaConfig, MetaProvider};
use wabakit::nxcloud::{NxcloudConfig, NxcloudProvider};
use wabakit::{Operation, Params, Pinned, TemplateId, TemplateMessage};
use wabakit_conformance::{four_components, one_body};

/// Alibaba with the vectors' test credentials.
pub fn alibaba_config() -> AlibabaConfig {
    AlibabaConfig::builder()
        .access_key_id("testAccessKeyId")
        .access_key_secret("testAccessKeySecret")
        .cust_space_id("cams-8c8d****")
        .from("6580000000")
        .build()
        .unwrap()
}

/// The template message every send benchmark sends: two body variables, and `client_ref`.
pub fn two_variables(client_ref: String) -> TemplateMessage {
    let mut m = TemplateMessage::new("8613900000000", "summer_sale", "en");
    m.body = Params::Positional(vec!["Tom".into(), "ORDER-1".into()]);
    m.client_ref = Some(client_ref);
    m
}

/// The stub runners' arguments: the stub's URL, messages (default 20,000), concurrency
/// (default 64).
pub fn stub_args() -> (String, usize, usize) {
    let mut args = std::env::args().skip(1);
    let endpoint = args.next().expect("the stub's URL");
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let c = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    (endpoint, n, c)
}

/// The three providers with test credentials (nothing is sent); Meta with an app secret, so
/// that each request computes its `appsecret_proof`.
pub struct Providers {
    /// NXCloud.
    pub nx: NxcloudProvider,
    /// Alibaba.
    pub ali: AlibabaProvider,
    /// Meta.
    pub meta: MetaProvider,
}

/// NXCloud, Alibaba and Meta with test credentials (nothing is sent).
pub fn providers() -> Providers {
    let nx = NxcloudProvider::new(
        NxcloudConfig::builder()
            .access_key("nxAK7fq2wz91")
            .access_secret("nxSK-9f8e7d6c5b4a")
            .app_key("f543ertg")
            .business_phone("8618500008399")
            .build()
            .unwrap(),
    )
    .expect("valid NXCloud config");
    let ali = AlibabaProvider::new(alibaba_config()).expect("valid Alibaba config");
    let meta = MetaProvider::new(
        MetaConfig::builder()
            .access_token("EAAGm0PX4ZCpsBAExampleSystemUserToken0123456789")
            .app_secret("0123456789abcdef0123456789abcdef")
            .waba_id("102290129340398")
            .phone_number_id("106540352242922")
            .build()
            .unwrap(),
    )
    .expect("valid Meta config");
    Providers { nx, ali, meta }
}

/// The vectors' date and nonce.
pub fn pinned() -> Pinned {
    Pinned {
        unix_millis: 1_736_929_800_000,
        nonce: "1d7a5b8f0c3e5a2b9f4d6c8e0a2b3d5f".into(),
    }
}

/// A template update for each template (`one_body`, `four_components`), then a template message
/// with two variables as `send_many` sends it.
pub fn operations() -> Vec<(&'static str, Operation)> {
    let id = TemplateId::new("744c4b5c79c9432497a075bdfca3****");
    vec![
        (
            "one_body",
            Operation::UpdateTemplate(id.clone(), one_body()),
        ),
        (
            "four_components",
            Operation::UpdateTemplate(id, four_components()),
        ),
        (
            "two_variables",
            Operation::Send(two_variables("task-1".into())),
        ),
    ]
}

/// An operation without cams' own fields, for NXCloud and Meta: the four-component template
/// carries two (`category_change_paused`, a quick reply's `is_opt_out`) that they report
/// unsupported, and a render that fails measures nothing.
pub fn without_cams_fields(op: &Operation) -> Operation {
    let mut op = op.clone();
    if let Operation::UpdateTemplate(_, t) = &mut op {
        t.category_change_paused = None;
        for c in &mut t.components {
            if let wabakit::Component::Buttons(b) = c {
                for b in &mut b.buttons {
                    if let wabakit::Button::QuickReply(q) = b {
                        q.is_opt_out = None;
                    }
                }
            }
        }
    }
    op
}

/// Serve `app` on 127.0.0.1 on a thread of its own (one worker); its URL.
pub fn serve(app: axum::Router) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(format!("http://{}", l.local_addr().expect("addr")))
                .expect("url");
            axum::serve(l, app).await.expect("serve");
        });
    });
    rx.recv().expect("url")
}

/// The stub's answer, which every vendor's client takes as a success: `STUB_ID` is replaced by a
/// message id of its own for each request (a store keeps one record per message id).
pub const STUB_ANSWER: &str = r#"{"RequestId":"0E5A-STUB","Code":"OK","Message":"OK","Success":true,"MessageId":"STUB_ID","Data":{"TemplateCode":"744c4b5c79c9432497a075bdfca3****","TemplateName":"summer_sale"},"code":0,"data":{"messages":[{"id":"STUB_ID"}],"id":"1"}}"#;

/// The stub: [`STUB_ANSWER`] to every request, each with its own message id.
pub fn stub_app() -> axum::Router {
    use axum::http::header::CONTENT_TYPE;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    axum::Router::new().fallback(|| async {
        let id = format!("stub-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        (
            [(CONTENT_TYPE, "application/json")],
            STUB_ANSWER.replace("STUB_ID", &id),
        )
    })
}
