//! A fake Graph API (WhatsApp Cloud API) on 127.0.0.1 (any port), built to Meta's documents:
//! it checks the bearer token and, with an app secret, the `appsecret_proof`, keeps templates
//! and reviews them, records sends, enforces the pair rate limit (131056) per recipient, takes
//! resumable uploads, posts webhooks signed with the app secret (template status; each
//! message's sent, delivered and read), and injects faults on request.
//!
//! For tests, the quickstart, and anyone testing their own integration offline.

mod api;
mod state;
mod verify;

use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};
use wabakit_core::fake::{
    callback_transport, dropped, http_fault, json_response, malformed, post_json, Reviewable,
    Server,
};
use wabakit_core::raw::{RecordedRequest, Sandbox, SandboxOptions, Transport};
use wabakit_core::{Clock, SystemClock};

pub use state::{Delivered, FakeTemplate};
pub use wabakit_core::fake::{Fault, FaultKind};

use crate::config::MetaConfig;
use crate::sign::body_signature;
use api::{Account, Answer, Route};
use state::State;

/// Who the fake serves, and how it behaves.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// The token requests must carry.
    pub access_token: String,
    /// With an app secret, "Require App Secret" is on: requests must carry `appsecret_proof`,
    /// and webhooks go out signed with it.
    pub app_secret: Option<String>,
    /// The WhatsApp Business Account id.
    pub waba_id: String,
    /// The business phone number's id.
    pub phone_number_id: String,
    /// The business number, as webhooks show it.
    pub display_phone_number: String,
    /// The Meta app's id (uploads go to it).
    pub app_id: String,
    /// Approve every new or edited template at once (else wait for [`FakeMeta::approve`]).
    pub instant_review: bool,
    /// Where to post webhooks.
    pub webhook_url: Option<String>,
    /// Messages to one recipient within [`Self::pair_window`] before 131056. Meta allows short
    /// bursts (spec §6.2); a test of the limit sets 1.
    pub pair_burst: u32,
    /// The pair rate limit's window: six seconds.
    pub pair_window: Duration,
    /// The statuses each sent message's webhooks report, in order (a load test may want one).
    pub statuses: &'static [&'static str],
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            access_token: "EAAGfake-system-user-token".into(),
            app_secret: Some("fake-app-secret".into()),
            waba_id: "102290129340398".into(),
            phone_number_id: "106540352242922".into(),
            display_phone_number: "15550783881".into(),
            app_id: "634974688087057".into(),
            instant_review: false,
            webhook_url: None,
            pair_burst: 45,
            pair_window: crate::response::PAIR_WINDOW,
            statuses: &["sent", "delivered", "read"],
        }
    }
}

struct Shared {
    opts: FakeOptions,
    state: Mutex<State>,
    webhooks: Arc<Transport>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeMeta {
    server: Server,
    shared: Arc<Shared>,
}

impl FakeMeta {
    /// Start serving on 127.0.0.1 at a free port.
    pub async fn start(opts: FakeOptions) -> io::Result<Self> {
        let webhooks = callback_transport("meta-fake")?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                webhook_url: opts.webhook_url.clone(),
                ..State::default()
            }),
            opts,
            webhooks,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        Ok(FakeMeta {
            server: Server::start(app).await?,
            shared,
        })
    }

    /// Where it listens (`http://127.0.0.1:PORT`): a config's `endpoint`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The account it serves.
    pub fn options(&self) -> &FakeOptions {
        &self.shared.opts
    }

    /// A client configuration for this fake's account.
    pub fn client_config(&self) -> MetaConfig {
        let o = &self.shared.opts;
        let mut b = MetaConfig::builder()
            .access_token(o.access_token.as_str())
            .waba_id(&o.waba_id)
            .phone_number_id(&o.phone_number_id)
            .app_id(&o.app_id)
            .endpoint(self.url());
        if let Some(s) = &o.app_secret {
            b = b.app_secret(s.as_str());
        }
        b.build().expect("the fake's account is complete")
    }

    /// Finish the review of a template (posting the status webhook). False if there is none.
    pub fn approve(&self, name: &str, language: &str) -> bool {
        self.decide(name, language, "APPROVED", "NONE")
    }

    /// Reject a template with WhatsApp's reason code (posting the status webhook). False if
    /// there is none.
    pub fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        self.decide(name, language, "REJECTED", reason)
    }

    fn decide(&self, name: &str, language: &str, status: &str, reason: &str) -> bool {
        let event = {
            let mut st = self.shared.state();
            let Some(t) = st
                .templates
                .iter_mut()
                .find(|t| t.name == name && t.language == language)
            else {
                return false;
            };
            t.status = status.into();
            t.reason = reason.into();
            let t = t.clone();
            api::status_event(&t, &account(&self.shared.opts))
        };
        post_webhooks(self.shared.clone(), vec![event]);
        true
    }

    /// Queue a fault for the next matching request(s); a fault's `on` names the neutral
    /// operation (`send`, `create_template`, `list_templates`, `get_template`, …).
    pub fn inject(&self, fault: Fault) {
        self.shared.state().faults.push(fault);
    }

    /// Post webhooks here from now on (or nowhere).
    pub fn set_webhook_url(&self, url: Option<String>) {
        self.shared.state().webhook_url = url;
    }

    /// Every request received, in order, as it arrived.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.state().raw.clone()
    }

    /// Every message accepted, in order.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.state().delivered.clone()
    }

    /// Every template it keeps.
    pub fn templates(&self) -> Vec<FakeTemplate> {
        self.shared.state().templates.clone()
    }
}

/// The registry's sandbox: a fake started with the default account.
pub(crate) fn start_sandbox(o: SandboxOptions) -> wabakit_core::raw::Starting {
    Box::pin(async move {
        let fake = FakeMeta::start(FakeOptions {
            instant_review: o.instant_review,
            webhook_url: o.callback_url,
            ..Default::default()
        })
        .await?;
        Ok(Box::new(fake) as Box<dyn Sandbox>)
    })
}

impl Sandbox for FakeMeta {
    fn provider(&self) -> &'static str {
        crate::NAME
    }

    fn url(&self) -> String {
        FakeMeta::url(self)
    }

    fn profile(&self) -> serde_json::Map<String, Value> {
        let o = self.options();
        let mut v = json!({
            "provider": crate::NAME, "access_token": o.access_token, "waba_id": o.waba_id,
            "phone_number_id": o.phone_number_id, "app_id": o.app_id, "endpoint": self.url(),
            // The fake has no hourly template quota to keep under.
            "qps": {"create_template": 1000},
        });
        if let Some(s) = &o.app_secret {
            v["app_secret"] = json!(s);
        }
        match v {
            Value::Object(m) => m,
            _ => unreachable!("a JSON object"),
        }
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        FakeMeta::requests(self)
    }
}

impl Reviewable for FakeMeta {
    fn approve(&self, name: &str, language: &str) -> bool {
        FakeMeta::approve(self, name, language)
    }

    fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        FakeMeta::reject(self, name, language, reason)
    }
}

fn account(o: &FakeOptions) -> Account<'_> {
    Account {
        waba_id: &o.waba_id,
        phone_number_id: &o.phone_number_id,
        display_phone_number: &o.display_phone_number,
        app_id: &o.app_id,
        instant_review: o.instant_review,
        now_secs: (SystemClock.unix_millis() / 1000) as i64,
        now_millis: SystemClock.unix_millis(),
        pair_burst: o.pair_burst,
        statuses: o.statuses,
        pair_window: o.pair_window,
    }
}

/// An answer as the Graph API gives it: JSON, with the request's `x-fb-trace-id`.
fn reply(a: Answer) -> Response {
    let mut r = json_response(a.status, &a.body);
    let n = TRACE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(v) = format!("AfakeTrace{n:08}").parse() {
        r.headers_mut().insert("x-fb-trace-id", v);
    }
    r
}

/// Numbers the fake's trace ids.
static TRACE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

async fn handle(
    AxState(sh): AxState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Recorded on arrival: a client that gives up early still left its request here.
    sh.state()
        .raw
        .push(wabakit_core::fake::record(&method, &uri, &headers, &body));
    let o = &sh.opts;
    let a = account(o);
    let query = uri.query().unwrap_or_default();
    let checked = verify::check(
        &headers,
        query,
        &verify::Expect {
            access_token: &o.access_token,
            app_secret: o.app_secret.as_deref(),
            now_secs: a.now_secs as u64,
        },
    );
    if let Err((status, error)) = checked {
        return json_response(status, &json!({ "error": error }));
    }
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let versioned = segments.first().is_some_and(|v| {
        v.strip_prefix('v')
            .and_then(|n| n.split_once('.'))
            .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
    });
    let route = versioned
        .then(|| Route::of(method.as_str(), &segments[1..], &a))
        .flatten();
    let Some(route) = route else {
        return reply(Answer::error(
            400,
            2500,
            None,
            &format!("Unknown path components: {}", uri.path()),
            None,
        ));
    };
    if matches!(route, Route::Upload(_))
        && headers.get("file_offset").and_then(|v| v.to_str().ok()) != Some("0")
    {
        return reply(Answer::error(
            400,
            100,
            None,
            "Invalid parameter",
            Some("file_offset: 0 is required (the fake takes whole files)"),
        ));
    }
    let fault = sh.state().faults.take(route.operation());
    match &fault {
        Some(FaultKind::Code { code, message }) => {
            let code: i64 = code.parse().unwrap_or(1);
            let status = if code == 131056 || code == 130429 || code == 80007 || code == 4 {
                429
            } else {
                400
            };
            return reply(Answer::error(status, code, None, message, None));
        }
        Some(FaultKind::Http {
            status,
            retry_after,
        }) => return http_fault(*status, *retry_after, "retry-after"),
        Some(FaultKind::Delay(d)) => tokio::time::sleep(*d).await,
        Some(FaultKind::DropBefore) => return dropped(),
        Some(FaultKind::Reply(body)) => return json_response(200, body),
        _ => {}
    }
    let answer = {
        let mut st = sh.state();
        api::handle(&route, query, &body, &mut st, &a)
    };
    if !answer.webhooks.is_empty() {
        post_webhooks(sh.clone(), answer.webhooks.clone());
    }
    match fault {
        Some(FaultKind::DropAfter) => dropped(),
        Some(FaultKind::Malformed) => {
            malformed(r#"{"messaging_product":"whatsapp","messages":[{"id":"#)
        }
        _ => reply(answer),
    }
}

/// Post webhook bodies in order, in the background, signed with the app secret when the fake
/// has one (`X-Hub-Signature-256` over the exact bytes posted).
fn post_webhooks(sh: Arc<Shared>, bodies: Vec<Value>) {
    let Some(url) = sh.state().webhook_url.clone() else {
        return;
    };
    let posts = bodies
        .into_iter()
        .map(|body| {
            let bytes = body.to_string().into_bytes();
            let headers = sh
                .opts
                .app_secret
                .as_deref()
                .map(|s| ("x-hub-signature-256".to_owned(), body_signature(s, &bytes)))
                .into_iter()
                .collect();
            (headers, bytes)
        })
        .collect();
    post_json(sh.webhooks.clone(), url, posts);
}
