//! The receipts server over real HTTP: every sandbox pushes its callbacks (template reviews,
//! each message's statuses) to a receiver on 127.0.0.1, through the provider-neutral entry
//! point; the store ends with each message's fate and every event once. Then the hard cases on
//! signed deliveries: duplicates, read before delivered, a bad signature, an unreadable body,
//! the subscription challenge, the size limit, metrics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wabakit::raw::SandboxOptions;
use wabakit::receiver::Receiver;
use wabakit::store::Store;
use wabakit::*;

fn no_env(_: &str) -> Option<String> {
    None
}

/// A fresh SQLite file for one test.
fn temp_store(name: &str) -> (std::path::PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("wabakit-recv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.join("w.db").display())).unwrap();
    (dir, store)
}

/// Serve `r` on 127.0.0.1 at a free port; its base URL.
async fn serve(r: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(r.serve(listener, std::future::pending()));
    url
}

/// Wait (polling, up to 10 s) until `done` says the store has what the fakes pushed.
async fn until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < Duration::from_secs(10), "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sandbox_pushes_its_callbacks_into_the_store() {
    let (dir, store) = temp_store("sandboxes");
    // The listener first: each sandbox is told where its profile's endpoint is.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut receiver = Receiver::new(store.clone());
    let mut runs = Vec::new();
    for reg in wabakit::PROVIDERS {
        let Some(start) = reg.sandbox else { continue };
        let sandbox = start(SandboxOptions {
            instant_review: true,
            callback_url: Some(format!("{base}/callbacks/{}", reg.name)),
        })
        .await
        .unwrap();
        let profile = Value::Object(sandbox.profile());
        receiver = receiver.with_profile(
            reg.name,
            registry::build(reg.name, &profile, &no_env).unwrap(),
        );
        let client = Client::from_profile(reg.name, &profile, &no_env)
            .unwrap()
            .with_store(store.clone());
        runs.push((reg.name, sandbox, client));
    }
    tokio::spawn(receiver.serve(listener, std::future::pending()));
    assert_eq!(runs.len(), 3);
    for (name, _sandbox, client) in &runs {
        let t = wabakit_conformance::order_update("pushed");
        client.create_template(&t).await.unwrap();
        client
            .get_template(&TemplateQuery::by_name("pushed", "en_US"))
            .await
            .unwrap();
        let mut m = wabakit_conformance::order_message("pushed");
        m.client_ref = Some(format!("{name}-pushed-1"));
        let r = client.send(&m).await.unwrap();
        let cref = m.client_ref.clone().unwrap();
        let s = store.clone();
        until(&format!("{name}: delivered"), || {
            let (s, cref) = (s.clone(), cref.clone());
            async move {
                s.history(&cref)
                    .await
                    .unwrap()
                    .is_some_and(|h| matches!(h.message.status.as_str(), "delivered" | "read"))
            }
        })
        .await;
        let h = store.history(&cref).await.unwrap().unwrap();
        assert_eq!(
            h.message.message_id.as_deref(),
            Some(r.message_id.as_str()),
            "{name}"
        );
        assert_eq!(
            (h.message.provider.as_str(), h.message.profile.as_str()),
            (*name, *name)
        );
        assert!(h.message.delivered_at.is_some(), "{name}");
        // Each status once, whatever the fake sent.
        let mut statuses: Vec<_> = h.events.iter().filter_map(|e| e.status.clone()).collect();
        let n = statuses.len();
        statuses.dedup();
        assert_eq!(statuses.len(), n, "{name}: {statuses:?}");
        let s = store.clone();
        until(&format!("{name}: template approved"), || {
            let s = s.clone();
            async move {
                s.template(name, "pushed", "en_US")
                    .await
                    .unwrap()
                    .is_some_and(|t| t.status.as_deref() == Some("APPROVED"))
            }
        })
        .await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

const SECRET: &str = "6f1d9c3a8b7e4f20a5c1d2e3f4a5b6c7";

/// A Meta profile (no server behind it: only its callbacks are used).
fn meta() -> Arc<dyn Provider> {
    let profile = json!({
        "provider": "meta", "access_token": "t", "waba_id": "102290129340398",
        "phone_number_id": "106540352242922", "app_secret": SECRET, "verify_token": "vibecoding",
    });
    registry::build("wa", &profile, &no_env).unwrap()
}

fn status_body(statuses: &[(&str, &str, u64)]) -> Vec<u8> {
    let statuses: Vec<Value> = statuses
        .iter()
        .map(|(id, s, t)| json!({"id": id, "status": s, "timestamp": t.to_string(), "recipient_id": "16505551234"}))
        .collect();
    serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"}, "statuses": statuses}}]}]}))
    .unwrap()
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    body: &[u8],
    signature: Option<String>,
) -> (u16, String) {
    let mut req = http
        .post(url)
        .body(body.to_vec())
        .header("content-type", "application/json");
    if let Some(s) = signature {
        req = req.header("x-hub-signature-256", s);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn signed_deliveries_duplicates_disorder_and_refusals() {
    let (dir, store) = temp_store("meta");
    store
        .record_send(
            store::SendRecord::new("meta", "wa", "16505551234", "order_update", "en_US")
                .with_message_id("wamid.A")
                .with_client_ref("order-1"),
        )
        .await
        .unwrap();
    let base = serve(
        Receiver::new(store.clone())
            .with_profile("wa", meta())
            .with_max_body(64 * 1024),
    )
    .await;
    let url = format!("{base}/callbacks/wa");
    let http = reqwest::Client::new();
    let sign = |b: &[u8]| Some(wabakit::meta::sign::body_signature(SECRET, b));

    // Read before delivered, in one batch with another message's sent; then the same again.
    let body = status_body(&[
        ("wamid.A", "read", 1_750_000_020),
        ("wamid.B", "sent", 1_750_000_001),
    ]);
    assert_eq!(
        post(&http, &url, &body, sign(&body)).await,
        (200, "ok".into())
    );
    assert_eq!(
        post(&http, &url, &body, sign(&body)).await,
        (200, "ok".into())
    );
    let late = status_body(&[("wamid.A", "delivered", 1_750_000_010)]);
    assert_eq!(post(&http, &url, &late, sign(&late)).await.0, 200);
    let h = store.history("order-1").await.unwrap().unwrap();
    assert_eq!(h.message.status, "read");
    assert_eq!(
        (h.message.delivered_at, h.message.read_at),
        (Some(1_750_000_010_000), Some(1_750_000_020_000))
    );
    assert_eq!(h.events.len(), 2, "read and delivered, once each");

    // A batch with one malformed part: the others are kept; the bad one too, with its error.
    store
        .record_send(
            store::SendRecord::new("meta", "wa", "16505551234", "order_update", "en_US")
                .with_message_id("wamid.C"),
        )
        .await
        .unwrap();
    let mixed = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
            "statuses": [{"status": "delivered", "timestamp": "1750000040"}, {"id": "wamid.C", "status": "delivered", "timestamp": "1750000041"}]}}]}]}))
    .unwrap();
    assert_eq!(post(&http, &url, &mixed, sign(&mixed)).await.0, 200);
    assert_eq!(
        store
            .history("wamid.C")
            .await
            .unwrap()
            .unwrap()
            .message
            .status,
        "delivered"
    );

    // A bad signature, and none at all: refused, nothing kept.
    let forged = status_body(&[("wamid.A", "failed", 1_750_000_030)]);
    assert_eq!(
        post(&http, &url, &forged, sign(b"something else")).await.0,
        403
    );
    assert_eq!(post(&http, &url, &forged, None).await.0, 403);
    assert_eq!(
        store
            .history("order-1")
            .await
            .unwrap()
            .unwrap()
            .message
            .status,
        "read"
    );

    // Signed but unreadable: kept as such, and answered (sending it again would not help).
    let garbage = b"{\"entry\": [".to_vec();
    assert_eq!(post(&http, &url, &garbage, sign(&garbage)).await.0, 200);

    // Over the size limit: refused before it is read.
    let big = vec![b' '; 65 * 1024];
    assert_eq!(post(&http, &url, &big, sign(&big)).await.0, 413);
    // An unknown profile.
    assert_eq!(
        post(&http, &format!("{base}/callbacks/nope"), &body, None)
            .await
            .0,
        404
    );

    // The subscription challenge: echoed for the right token only.
    let get = |q: &str| {
        let http = http.clone();
        let u = format!("{url}?{q}");
        async move {
            let r = http.get(u).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    assert_eq!(
        get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vibecoding").await,
        (200, "1158201444".into())
    );
    assert_eq!(
        get("hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess")
            .await
            .0,
        403
    );

    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "wabakit_events_received_total{profile=\"wa\"} 5",
        "wabakit_events_duplicate_total{profile=\"wa\"} 2",
        "wabakit_callbacks_refused_total{profile=\"wa\"} 3",
        "wabakit_callbacks_unreadable_total{profile=\"wa\"} 1",
        "wabakit_store_commit_seconds_count 5",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// NXCloud's unsigned webhooks: guarded by a token only the vendor's configured URL carries.
#[tokio::test]
async fn an_unsigned_vendor_is_guarded_by_a_token_in_the_url() {
    let (dir, store) = temp_store("token");
    let text = format!(
        "[store]\nurl = \"sqlite://{}\"\n[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"ak\"\naccess_secret = \"sk\"\napp_key = \"app\"\nbusiness_phone = \"8613800000000\"\ncallback_token = {{ env = \"NX_HOOK_TOKEN\" }}\n",
        dir.join("w.db").display()
    );
    let env = |k: &str| (k == "NX_HOOK_TOKEN").then(|| "url-secret".to_owned());
    // A client from the same file takes the key as it is.
    Client::from_toml(&text, Some("nx"), &env).unwrap();
    let file = wabakit::config::ConfigFile::parse(&text, "config").unwrap();
    drop(store);
    let base = serve(Receiver::from_config(&file, &env).unwrap()).await;
    let http = reqwest::Client::new();
    let body = br#"{"statuses":[{"id":"nx-1","status":"delivered","timestamp":"1750000000"}]}"#;
    for (url, want) in [
        (format!("{base}/callbacks/nx"), 401),
        (format!("{base}/callbacks/nx?token=guess"), 401),
        (format!("{base}/callbacks/nx?token=url-secret"), 200),
    ] {
        let r = http.post(&url).body(body.to_vec()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), want, "{url}");
    }
    let missing = text.replace("{ env = \"NX_HOOK_TOKEN\" }", "{ env = \"NOPE\" }");
    let file = wabakit::config::ConfigFile::parse(&missing, "config").unwrap();
    let e = Receiver::from_config(&file, &env).unwrap_err().to_string();
    assert!(
        e.contains("callback_token: the environment variable NOPE is not set"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A client that trickles its headers is cut off; one that sends its headers and then
/// trickles its body (slow loris) is answered 408
/// when the body timeout runs out, before any of it is parsed; a callback to a profile that takes
/// none is told no more than that.
#[tokio::test]
async fn a_trickled_body_times_out_and_answers_carry_no_detail() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (dir, store) = temp_store("slow");
    let receiver = Receiver::new(store.clone())
        .with_profile("wa", meta())
        .with_body_timeout(Duration::from_millis(300))
        .with_header_timeout(Duration::from_millis(300));
    let base = serve(receiver).await;
    let addr = base.trim_start_matches("http://").to_owned();
    // Headers that never end: the connection is closed.
    let mut c = tokio::net::TcpStream::connect(&addr).await.unwrap();
    c.write_all(b"POST /callbacks/wa HTTP/1.1\r\nhost: x\r\nx-slow: ")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut answer))
        .await
        .expect("the receiver closed the connection of the trickling client")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let mut c = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = "POST /callbacks/wa HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"obj";
    c.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // The server answers and closes by itself; the bound only turns a hang into a failure.
    tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut answer))
        .await
        .expect("the receiver answered the trickling client")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.ends_with("the body did not arrive in time"),
        "{answer}"
    );

    let memory = registry::build("m", &json!({"provider": "memory"}), &no_env).unwrap();
    let base = serve(Receiver::new(store.clone()).with_profile("m", memory)).await;
    let http = reqwest::Client::new();
    let (status, text) = post(&http, &format!("{base}/callbacks/m"), b"{}", None).await;
    assert_eq!(
        (status, text.as_str()),
        (404, "this endpoint takes no callbacks")
    );
    let _ = std::fs::remove_dir_all(dir);
}
