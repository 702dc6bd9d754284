//! What the benchmarks share: the providers, pinned at the vectors' clock and nonce, the
//! requests they render, and the stub runners' message and arguments.

use wabakit::alibaba::{AlibabaConfig, AlibabaProvider};
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

/// NXCloud and Alibaba with test credentials (nothing is sent).
pub fn providers() -> (NxcloudProvider, AlibabaProvider) {
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
    (nx, ali)
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

/// NXCloud's form of an operation: the four-component template carries two cams-only fields
/// (`category_change_paused`, a quick reply's `is_opt_out`) that NXCloud reports unsupported
/// (since issue 12), and a render that fails measures nothing.
pub fn for_nxcloud(op: &Operation) -> Operation {
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
