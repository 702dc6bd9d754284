//! A fake NXCloud WhatsApp API on 127.0.0.1 (any port), built to NXCloud's documents: it checks
//! the signed headers and the `ts` window exactly as NXCloud does, keeps templates and
//! messages, simulates review, posts template webhooks, and injects faults on request.
//!
//! For tests, the quickstart, and anyone testing their own integration offline.

mod api;
mod state;
mod verify;

use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

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

pub use state::{Delivered, FakeTemplate, Recorded};
pub use wabakit_core::fake::{Fault, FaultKind};

use crate::config::NxcloudConfig;
use crate::ops::Op;
use crate::sign::{sign, Algorithm, SignInput};
use api::Account;
use state::State;

/// Who the fake serves, and how it behaves.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// The access key clients sign with.
    pub access_key: String,
    /// The secret clients sign with.
    pub access_secret: String,
    /// The WhatsApp application's key bodies must name.
    pub app_key: String,
    /// The sender number bodies must name.
    pub business_phone: String,
    /// Approve every new or edited template at once (else wait for [`FakeNxcloud::approve`]).
    pub instant_review: bool,
    /// Where to post webhooks (template status, async create results, and each sent message's
    /// `sent` and `delivered` statuses).
    pub webhook_url: Option<String>,
    /// Sign webhooks with this secret, as an application with callback signing does.
    pub webhook_secret: Option<String>,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            access_key: "fake-access-key".into(),
            access_secret: "fake-access-secret".into(),
            app_key: "fakeapp".into(),
            business_phone: "8613800000000".into(),
            instant_review: false,
            webhook_url: None,
            webhook_secret: None,
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
pub struct FakeNxcloud {
    server: Server,
    shared: Arc<Shared>,
}

impl FakeNxcloud {
    /// Start serving on 127.0.0.1 at a free port.
    pub async fn start(opts: FakeOptions) -> io::Result<Self> {
        let webhooks = callback_transport("nxcloud-fake")?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                webhook_url: opts.webhook_url.clone(),
                ..State::default()
            }),
            opts,
            webhooks,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        Ok(FakeNxcloud {
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
    pub fn client_config(&self) -> NxcloudConfig {
        let o = &self.shared.opts;
        NxcloudConfig::builder()
            .access_key(&o.access_key)
            .access_secret(o.access_secret.as_str())
            .app_key(&o.app_key)
            .business_phone(&o.business_phone)
            .endpoint(self.url())
            .build()
            .expect("the fake's account is complete")
    }

    /// Finish the review of a template (posting the status webhook). False if there is none.
    pub fn approve(&self, name: &str, language: &str) -> bool {
        self.decide(name, language, "APPROVED", "")
    }

    /// Reject a template with WhatsApp's reason code (posting the status webhook). False if there is none.
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

    /// Queue a fault for the next matching request(s).
    pub fn inject(&self, fault: Fault) {
        self.shared.state().faults.push(fault);
    }

    /// Post webhooks here from now on (or nowhere).
    pub fn set_webhook_url(&self, url: Option<String>) {
        self.shared.state().webhook_url = url;
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.state().requests.clone()
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
        // Webhooks go out signed, as an application with callback signing has them; the
        // profile carries the secret, so a client verifies what it receives.
        let webhook_secret = o
            .callback_url
            .as_ref()
            .map(|_| "sandbox-webhook-secret".into());
        let fake = FakeNxcloud::start(FakeOptions {
            instant_review: o.instant_review,
            webhook_url: o.callback_url,
            webhook_secret,
            ..Default::default()
        })
        .await?;
        Ok(Box::new(fake) as Box<dyn Sandbox>)
    })
}

impl Sandbox for FakeNxcloud {
    fn provider(&self) -> &'static str {
        crate::NAME
    }

    fn url(&self) -> String {
        FakeNxcloud::url(self)
    }

    fn profile(&self) -> serde_json::Map<String, Value> {
        let o = self.options();
        let mut v = json!({
            "provider": crate::NAME, "access_key": o.access_key, "access_secret": o.access_secret,
            "app_key": o.app_key, "business_phone": o.business_phone, "endpoint": self.url(),
        });
        if let Some(s) = &o.webhook_secret {
            v["webhook_secret"] = json!(s);
        }
        match v {
            Value::Object(m) => m,
            _ => unreachable!("a JSON object"),
        }
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.state().raw.clone()
    }
}

fn account(o: &FakeOptions) -> Account<'_> {
    Account {
        app_key: &o.app_key,
        business_phone: &o.business_phone,
        instant_review: o.instant_review,
        now_secs: (SystemClock.unix_millis() / 1000) as i64,
    }
}

async fn handle(
    AxState(sh): AxState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    sh.state()
        .raw
        .push(wabakit_core::fake::record(&method, &uri, &headers, &body));
    let path = uri.path().to_owned();
    let Some(op) = Op::from_path(&path) else {
        return reply(
            404,
            json!({"code": 404, "message": format!("no such API: {path}"), "data": null}),
        );
    };
    let multipart = verify::header(&headers, "content-type")
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let actions: &[&str] = match op {
        // The page documents `createTemplate`; the path's own name is accepted too.
        Op::CreateTemplateAsync => &["createTemplate", "createTemplateAsync"],
        _ => &[op.endpoint().action],
    };
    let o = &sh.opts;
    let checked = verify::check(
        &headers,
        &body,
        &verify::Expect {
            access_key: &o.access_key,
            access_secret: &o.access_secret,
            actions,
            now_millis: SystemClock.unix_millis(),
            multipart,
        },
    );
    let mut record = Recorded {
        path: path.clone(),
        action: verify::header(&headers, "action").map(str::to_owned),
        ts: verify::header(&headers, "ts").map(str::to_owned),
        sign: verify::header(&headers, "sign").map(str::to_owned),
        body: body.to_vec(),
        code: None,
    };
    if let Err((code, message)) = checked {
        record.code = Some(code);
        sh.state().requests.push(record);
        return envelope(op, code, &message, Value::Null);
    }
    // Recorded on arrival: a client that gives up early still left its request here.
    let (slot, fault) = {
        let mut st = sh.state();
        st.requests.push(record);
        (st.requests.len() - 1, st.faults.take(&path))
    };
    let set_code = |code: i64| sh.state().requests[slot].code = Some(code);
    match &fault {
        Some(FaultKind::Code { code, message }) => {
            let code: i64 = code.parse().unwrap_or(-1);
            set_code(code);
            return envelope(op, code, message, Value::Null);
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
    let answer = if multipart {
        upload(&headers, &body, o)
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => {
                let mut st = sh.state();
                api::handle(op, &v, &mut st, &account(o))
            }
            Err(_) => api::Answer {
                code: 9000,
                message: "参数异常: the body is not JSON".into(),
                data: Value::Null,
                webhooks: Vec::new(),
            },
        }
    };
    set_code(answer.code);
    if !answer.webhooks.is_empty() {
        post_webhooks(sh.clone(), answer.webhooks);
    }
    match fault {
        Some(FaultKind::DropAfter) => dropped(),
        Some(FaultKind::Malformed) => malformed(r#"{"code":0,"data":{"messages":[{"id":"#),
        _ => envelope(op, answer.code, &answer.message, answer.data),
    }
}

fn reply(status: u16, v: Value) -> Response {
    json_response(status, &v)
}

/// NXCloud answers HTTP 200 with the result code in the body (SAAS adds a trace id).
fn envelope(op: Op, code: i64, message: &str, data: Value) -> Response {
    let mut v = json!({"code": code, "message": message, "data": data});
    if op == Op::SaasSend {
        v["traceId"] = json!(format!("{:032x}", SystemClock.unix_millis()));
    }
    reply(200, v)
}

/// uploadTemplateFile: the form must carry the documented fields; the answer is a handle.
fn upload(headers: &HeaderMap, body: &[u8], o: &FakeOptions) -> api::Answer {
    let boundary = verify::header(headers, "content-type")
        .and_then(|c| c.split("boundary=").nth(1))
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned();
    let fields = form_fields(body, &boundary);
    let get = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_slice())
    };
    for required in ["business_phone", "messaging_product", "type", "file"] {
        if get(required).is_none() {
            return api::Answer {
                code: 9000,
                message: format!("参数异常: {required} is required"),
                data: Value::Null,
                webhooks: Vec::new(),
            };
        }
    }
    if get("business_phone") != Some(o.business_phone.as_bytes()) {
        return api::Answer {
            code: 9002,
            message: "merchant phone number error".into(),
            data: Value::Null,
            webhooks: Vec::new(),
        };
    }
    let digest = sign(&SignInput {
        access_key: "",
        access_secret: "",
        ts: "",
        biz_type: "",
        action: "",
        body: get("file"),
        algorithm: Algorithm::Md5,
    });
    api::Answer {
        code: 0,
        message: "请求成功".into(),
        data: json!({"id": format!("4:{}", &digest.sign[..16])}),
        webhooks: Vec::new(),
    }
}

/// The named parts of a multipart/form-data body (enough for the fake's checks).
fn form_fields(body: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let text = body;
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = text;
    while let Some(i) = find(rest, delim.as_bytes()) {
        parts.push(&rest[..i]);
        rest = &rest[i + delim.len()..];
    }
    for part in parts.into_iter().skip(1) {
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let Some(h_end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..h_end]);
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let value = &part[h_end + 4..];
        let value = value.strip_suffix(b"\r\n").unwrap_or(value);
        out.push((name.to_owned(), value.to_vec()));
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Post webhook bodies in order, in the background, signed when the fake has a webhook secret.
fn post_webhooks(sh: Arc<Shared>, bodies: Vec<Value>) {
    let Some(url) = sh.state().webhook_url.clone() else {
        return;
    };
    let posts = bodies
        .into_iter()
        .map(|body| {
            let bytes = body.to_string().into_bytes();
            let mut headers = Vec::new();
            if let Some(secret) = &sh.opts.webhook_secret {
                let ts = SystemClock.unix_millis().to_string();
                let s = sign(&SignInput {
                    access_key: &sh.opts.access_key,
                    access_secret: secret,
                    ts: &ts,
                    biz_type: "2",
                    action: "template",
                    body: Some(&bytes),
                    algorithm: Algorithm::Md5,
                });
                headers.extend([
                    ("accesskey".to_owned(), sh.opts.access_key.clone()),
                    ("action".to_owned(), "template".to_owned()),
                    ("biztype".to_owned(), "2".to_owned()),
                    ("ts".to_owned(), ts),
                    ("sign".to_owned(), s.sign),
                ]);
            }
            (headers, bytes)
        })
        .collect();
    post_json(sh.webhooks.clone(), url, posts);
}

impl Reviewable for FakeNxcloud {
    fn approve(&self, name: &str, language: &str) -> bool {
        FakeNxcloud::approve(self, name, language)
    }

    fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        FakeNxcloud::reject(self, name, language, reason)
    }
}
