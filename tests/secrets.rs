//! No secret, signature, security token, `appsecret_proof` or access token, and no recipient
//! number or template value, in anything a run shows: every log line (TRACE, request spans
//! included), every error's `Display` and `Debug`, every result's `Debug`, the client's
//! `Debug`. Each provider's fake is run with faults (5xx, vendor errors, connections dropped
//! before and after acting, malformed answers), with a wrong secret, and against a closed
//! port; Alibaba with V1 signing (the signature, key id and STS token in the query) and the
//! template values in the query, where a reqwest error would print them.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use wabakit::fake::{Fault, FaultKind};
use wabakit::raw::{RecordedRequest, Sandbox};
use wabakit::*;

/// Every log line of the test's thread, at every level.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
    type Writer = Lines;
    fn make_writer(&'a self) -> Lines {
        self.clone()
    }
}

const RECIPIENT: &str = "+86 139 1234 0001";
const PARAM: &str = "Ana-Private-Value";

fn message(template: &str) -> TemplateMessage {
    let mut m = wabakit_conformance::order_message(template).to_value();
    m["to"] = RECIPIENT.into();
    m["body"] = json!([PARAM, "today"]);
    TemplateMessage::from_value(&m).unwrap()
}

/// What must never show: the profile's credentials, the signatures and tokens the fake
/// received (headers and query values), the recipient and the template value.
fn forbidden(profile: &Map<String, Value>, requests: &[RecordedRequest]) -> Vec<String> {
    let secret_key = |k: &str| {
        ["secret", "token", "key_id", "access_key"]
            .iter()
            .any(|s| k.contains(s))
    };
    let mut out: Vec<String> = profile
        .iter()
        .filter(|(k, _)| secret_key(k))
        .filter_map(|(_, v)| v.as_str().map(str::to_owned))
        .collect();
    let signed = |k: &str| {
        let k = k.to_ascii_lowercase();
        [
            "sign",
            "authorization",
            "token",
            "accesskey",
            "appsecret_proof",
            "nonce",
        ]
        .iter()
        .any(|s| k.contains(s))
    };
    for r in requests {
        out.extend(
            r.headers
                .iter()
                .filter(|(k, _)| signed(k))
                .map(|(_, v)| v.clone()),
        );
        let query = r.target.split_once('?').map_or("", |(_, q)| q);
        for (k, v) in url_pairs(query) {
            if signed(&k) {
                out.push(v);
            }
        }
    }
    out.extend([
        PARAM.to_owned(),
        "8613912340001".to_owned(),
        "139 1234 0001".to_owned(),
    ]);
    // Short values (a one-digit nonce) would match by chance; every real secret is longer.
    out.retain(|s| s.len() >= 8);
    out.sort();
    out.dedup();
    out
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            let d = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (d(k), d(v))
        })
        .collect()
}

/// Run the operations with faults, and everything they showed.
async fn exercise(
    sandbox: &dyn Sandbox,
    profile: &Map<String, Value>,
    inject: &dyn Fn(Fault),
) -> Vec<String> {
    let name = sandbox.provider();
    let mut shown = Vec::new();
    let mut fast = profile.clone();
    fast.insert("max_attempts".into(), 2.into());
    fast.insert("request_timeout_seconds".into(), 2.into());
    let client = Client::from_profile(name, &Value::Object(fast.clone()), &ProcessEnv).unwrap();
    shown.push(format!("{client:?}"));
    let t = wabakit_conformance::order_update("secret_check");
    shown.push(format!("{:?}", client.create_template(&t).await.unwrap()));
    sandbox.approve("secret_check", "en_US");
    let m = message("secret_check");
    shown.push(format!("{:?}", client.send(&m).await.unwrap()));
    // Each fault as often as the send meets it: the retryable ones on both attempts.
    for (kind, times) in [
        (
            FaultKind::Http {
                status: 503,
                retry_after: None,
            },
            2,
        ),
        (FaultKind::DropBefore, 2),
        (FaultKind::DropAfter, 1),
        (FaultKind::Malformed, 1),
        (
            FaultKind::Http {
                status: 401,
                retry_after: None,
            },
            1,
        ),
    ] {
        for _ in 0..times {
            inject(Fault::new(kind.clone()));
        }
        let r = client.send(&m).await;
        if let Err(e) = &r {
            shown.push(e.to_string());
        }
        shown.push(format!("{r:?}"));
    }
    // A bad message: its problems name the field, not the number.
    let mut bad = m.to_value();
    bad["to"] = "+86 139 1234 0001 ext".into();
    let bad = TemplateMessage::from_value(&bad).unwrap();
    let r = client.send(&bad).await;
    shown.push(format!("{r:?}"));
    shown.push(r.unwrap_err().to_string());
    // A wrong secret, and a closed port.
    let mut changes = vec![("endpoint".to_owned(), "http://127.0.0.1:9".to_owned())];
    changes.extend(
        fast.keys()
            .filter(|k| k.contains("secret") || k.as_str() == "access_token")
            .map(|k| (k.clone(), "wrong-secret-value".to_owned())),
    );
    for (key, value) in changes {
        let mut p = fast.clone();
        p.insert(key.clone(), value.into());
        let c = Client::from_profile(name, &Value::Object(p), &ProcessEnv).unwrap();
        let q = TemplateQuery::by_name("secret_check", "en_US");
        for r in [
            c.send(&m).await.map(|_| ()),
            c.get_template(&q).await.map(|_| ()),
        ] {
            let e = r.expect_err(&key);
            shown.push(e.to_string());
            shown.push(format!("{e:?}"));
        }
    }
    shown
}

fn check(name: &str, forbidden: &[String], shown: &[String], logs: &Lines) {
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("wabakit.request"),
        "{name}: the request spans were captured: {logs}"
    );
    for s in forbidden {
        assert!(
            !logs.contains(s.as_str()),
            "{name}: {s:?} in a log line:\n{logs}"
        );
        for line in shown {
            assert!(!line.contains(s.as_str()), "{name}: {s:?} shown: {line}");
        }
    }
}

#[tokio::test]
async fn no_secret_or_personal_data_in_logs_errors_or_debug_on_any_provider() {
    let logs = Lines::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let nx = wabakit::nxcloud::fake::FakeNxcloud::start(Default::default())
        .await
        .unwrap();
    let profile = nx.profile();
    let shown = exercise(&nx, &profile, &|f| nx.inject(f)).await;
    check(
        "nxcloud",
        &forbidden(&profile, &Sandbox::requests(&nx)),
        &shown,
        &logs,
    );

    for signature in ["v1", "v3"] {
        let cams = wabakit::alibaba::fake::FakeCams::start(wabakit::alibaba::fake::FakeOptions {
            security_token: Some("STS-token-0123456789".into()),
            ..Default::default()
        })
        .await
        .unwrap();
        let mut profile = cams.profile();
        profile.insert("security_token".into(), "STS-token-0123456789".into());
        profile.insert("signature".into(), signature.into());
        profile.insert("template_params".into(), "query".into());
        let shown = exercise(&cams, &profile, &|f| cams.inject(f)).await;
        check(
            &format!("alibaba {signature}"),
            &forbidden(&profile, &Sandbox::requests(&cams)),
            &shown,
            &logs,
        );
    }

    let meta = wabakit::meta::fake::FakeMeta::start(wabakit::meta::fake::FakeOptions {
        app_secret: Some("meta-app-secret-0123".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let profile = meta.profile();
    assert!(
        profile.contains_key("app_secret"),
        "requests carry appsecret_proof"
    );
    let shown = exercise(&meta, &profile, &|f| meta.inject(f)).await;
    check(
        "meta",
        &forbidden(&profile, &Sandbox::requests(&meta)),
        &shown,
        &logs,
    );
}
