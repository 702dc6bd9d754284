//! A fake Alibaba Cloud ChatApp (cams) API on 127.0.0.1 (any port): it verifies V3 and V1
//! signatures from the raw request as the gateway does, refuses reused nonces and dates more
//! than 15 minutes off, keeps templates (only unreviewed or rejected ones may be modified),
//! simulates review, enforces each operation's documented QPS with `Throttling.User`, and
//! injects faults.

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

use state::State;

use crate::config::AlibabaConfig;
use crate::ops::Action;

/// Who the fake serves, and how it behaves.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// The AccessKey id clients sign with.
    pub access_key_id: String,
    /// The AccessKey secret clients sign with.
    pub access_key_secret: String,
    /// Require this STS token.
    pub security_token: Option<String>,
    /// The ChatApp instance requests must name.
    pub cust_space_id: String,
    /// The sender requests must name.
    pub from: String,
    /// Approve new and modified templates at once.
    pub instant_review: bool,
    /// Requests per second per operation; `None` means the documented limits.
    pub qps: Option<u32>,
    /// Where to push receipts (HTTP batch push): ChatAppAudit when a review is decided,
    /// ChatAppStatus (`Sent`, then `Delivered`) for each message sent.
    pub receipt_url: Option<String>,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            access_key_id: "fake-access-key-id".into(),
            access_key_secret: "fake-access-key-secret".into(),
            security_token: None,
            cust_space_id: "cams-fake0001".into(),
            from: "6580000000".into(),
            instant_review: false,
            qps: None,
            receipt_url: None,
        }
    }
}

struct Shared {
    opts: FakeOptions,
    state: Mutex<State>,
    receipts: Arc<Transport>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake cams. Dropping it stops the server.
pub struct FakeCams {
    server: Server,
    shared: Arc<Shared>,
}

impl FakeCams {
    /// Start serving on 127.0.0.1 at a free port.
    pub async fn start(opts: FakeOptions) -> io::Result<Self> {
        let shared = Arc::new(Shared {
            opts,
            state: Mutex::new(State::default()),
            receipts: callback_transport("cams-fake")?,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        Ok(FakeCams {
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
    pub fn client_config(&self) -> AlibabaConfig {
        let o = &self.shared.opts;
        let mut b = AlibabaConfig::builder()
            .access_key_id(&o.access_key_id)
            .access_key_secret(o.access_key_secret.as_str())
            .cust_space_id(&o.cust_space_id)
            .from(&o.from)
            .endpoint(self.url());
        if let Some(t) = &o.security_token {
            b = b.security_token(t.as_str());
        }
        b.build().expect("the fake's account is complete")
    }

    /// Approve a template (pushing the ChatAppAudit receipt). False if there is none.
    pub fn approve(&self, name: &str, language: &str) -> bool {
        self.decide(name, language, "pass", "")
    }

    /// Reject a template with a reason (pushing the ChatAppAudit receipt). False if there is none.
    pub fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        self.decide(name, language, "fail", reason)
    }

    fn decide(&self, name: &str, language: &str, audit: &str, reason: &str) -> bool {
        let decided = {
            let mut st = self.shared.state();
            let found = st
                .store
                .templates
                .iter_mut()
                .find(|t| t.name == name && t.language == language);
            let Some(t) = found else { return false };
            t.audit = audit.into();
            t.reason = reason.into();
            t.clone()
        };
        push_audit(self.shared.clone(), &decided);
        true
    }

    /// Queue a fault for the next matching request(s) (`on`: an action name).
    pub fn inject(&self, fault: Fault) {
        self.shared.state().faults.push(fault);
    }

    /// Every request received, in order, signature checks passed or not.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.state().requests.clone()
    }

    /// Every message accepted, in order.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.state().store.delivered.clone()
    }

    /// Every template it keeps.
    pub fn templates(&self) -> Vec<FakeTemplate> {
        self.shared.state().store.templates.clone()
    }
}

/// The registry's sandbox: a fake started with the default account.
pub(crate) fn start_sandbox(o: SandboxOptions) -> wabakit_core::raw::Starting {
    Box::pin(async move {
        let fake = FakeCams::start(FakeOptions {
            instant_review: o.instant_review,
            receipt_url: o.callback_url,
            ..Default::default()
        })
        .await?;
        Ok(Box::new(fake) as Box<dyn Sandbox>)
    })
}

impl Sandbox for FakeCams {
    fn provider(&self) -> &'static str {
        crate::NAME
    }

    fn url(&self) -> String {
        FakeCams::url(self)
    }

    fn profile(&self) -> serde_json::Map<String, Value> {
        let o = self.options();
        let mut v = json!({
            "provider": crate::NAME, "access_key_id": o.access_key_id,
            "access_key_secret": o.access_key_secret, "cust_space_id": o.cust_space_id,
            "from": o.from, "endpoint": self.url(),
        });
        if let Some(t) = &o.security_token {
            v["security_token"] = json!(t);
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

/// Push a ChatAppAudit receipt for `t`, in the background, if a receipt URL is set.
fn push_audit(sh: Arc<Shared>, t: &FakeTemplate) {
    let Some(url) = sh.opts.receipt_url.clone() else {
        return;
    };
    let body = json!([{"WabaId": "fake-waba-0001", "TemplateCode": t.code, "Language": t.language,
                       "AuditStatus": t.audit, "Reason": t.reason, "TemplateName": t.name}]);
    post_json(
        sh.receipts.clone(),
        url,
        vec![(Vec::new(), body.to_string().into_bytes())],
    );
}

/// Push ChatAppStatus receipts for a sent message (Sent, then Delivered), in the background, if
/// a receipt URL is set; shaped as the documentation's example.
fn push_statuses(sh: Arc<Shared>, d: &Delivered) {
    let Some(url) = sh.opts.receipt_url.clone() else {
        return;
    };
    let now = SystemClock.unix_millis();
    let posts = ["Sent", "Delivered"]
        .into_iter()
        .map(|status| {
            let body = json!([{"Status": status, "MessageId": d.message_id, "TaskId": d.task_id, "To": d.to,
                               "From": sh.opts.from, "Timestamp": now, "Type": "TEMPLATE", "MsgFrameType": "template",
                               "TemplateName": d.template}]);
            (Vec::new(), body.to_string().into_bytes())
        })
        .collect();
    post_json(sh.receipts.clone(), url, posts);
}

fn request_id() -> String {
    let n = SystemClock.unix_millis();
    format!("{:08X}-FAKE-{:04X}-{:012X}", n as u32, (n >> 32) as u16, n)
}

fn error(status: u16, code: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({"RequestId": request_id(), "Code": code, "Message": message, "Recommend": format!("https://error-center.example/{code}")}),
    )
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
    let o = &sh.opts;
    let mut record = Recorded {
        action: headers
            .get("x-acs-action")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        nonce: None,
        date: None,
        signature: None,
        params: Vec::new(),
        code: None,
    };
    let checked = {
        let mut st = sh.state();
        verify::check(
            &headers,
            uri.query().unwrap_or_default(),
            &body,
            &verify::Gateway {
                access_key_id: &o.access_key_id,
                access_key_secret: &o.access_key_secret,
                security_token: o.security_token.as_deref(),
                now_millis: SystemClock.unix_millis(),
            },
            &mut st.nonces,
        )
    };
    let v = match checked {
        Ok(v) => v,
        Err((status, code, message)) => {
            record.code = Some(code.into());
            sh.state().requests.push(record);
            return error(status, code, &message);
        }
    };
    record.action = Some(v.action.name().into());
    record.nonce = Some(v.nonce.clone());
    record.date = Some(v.date.clone());
    record.signature = Some(v.signature.clone());
    record.params = v.params.clone();
    let (slot, fault, throttled) = {
        let mut st = sh.state();
        st.requests.push(record);
        let slot = st.requests.len() - 1;
        let second = SystemClock.unix_millis() / 1000;
        let limit = o.qps.unwrap_or_else(|| v.action.qps());
        let w = st.windows.entry(v.action).or_insert((second, 0));
        if w.0 != second {
            *w = (second, 0);
        }
        w.1 += 1;
        let throttled = w.1 > limit;
        (slot, st.faults.take(v.action.name()), throttled)
    };
    let set_code = |code: &str| sh.state().requests[slot].code = Some(code.to_owned());
    if throttled {
        set_code("Throttling.User");
        let mut r = error(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        );
        r.headers_mut()
            .insert("x-acs-retry-after", "1".parse().expect("valid header"));
        return r;
    }
    match &fault {
        Some(FaultKind::Code { code, message }) => {
            set_code(code);
            return error(400, code, message);
        }
        Some(FaultKind::Http {
            status,
            retry_after,
        }) => return http_fault(*status, *retry_after, "x-acs-retry-after"),
        Some(FaultKind::Delay(d)) => tokio::time::sleep(*d).await,
        Some(FaultKind::DropBefore) => return dropped(),
        Some(FaultKind::Reply(body)) => return json_response(200, body),
        _ => {}
    }
    let answer = {
        let mut st = sh.state();
        api::handle(
            v.action,
            &v.params,
            &mut st.store,
            &api::Account {
                cust_space_id: &o.cust_space_id,
                from: &o.from,
                instant_review: o.instant_review,
            },
        )
    };
    // An instant review is decided as the template is stored: its receipt follows.
    if o.instant_review
        && matches!(
            v.action,
            Action::CreateChatappTemplate | Action::ModifyChatappTemplate
        )
        && answer.is_ok()
    {
        let name = v
            .params
            .iter()
            .find(|(k, _)| k == "Name")
            .map(|(_, n)| n.clone());
        let code = v
            .params
            .iter()
            .find(|(k, _)| k == "TemplateCode")
            .map(|(_, c)| c.clone());
        let t = sh
            .state()
            .store
            .templates
            .iter()
            .find(|t| Some(&t.name) == name.as_ref() || Some(&t.code) == code.as_ref())
            .cloned();
        if let Some(t) = t {
            push_audit(sh.clone(), &t);
        }
    }
    // A message the fake sent goes out, then reaches the phone: a ChatAppStatus receipt for
    // each (also when its answer is then lost: the receipts tell what happened).
    if v.action == Action::SendChatappMessage && o.receipt_url.is_some() {
        if let Some(id) = answer.as_ref().ok().and_then(|d| d["MessageId"].as_str()) {
            // The message just recorded: the newest.
            let sent = sh
                .state()
                .store
                .delivered
                .iter()
                .rev()
                .find(|d| d.message_id == id)
                .cloned();
            if let Some(d) = sent {
                push_statuses(sh.clone(), &d);
            }
        }
    }
    let response = match answer {
        Ok(mut data) => {
            set_code("OK");
            data["RequestId"] = json!(request_id());
            data["Code"] = json!("OK");
            data["Message"] = json!("OK");
            json_response(200, &data)
        }
        Err((status, code, message)) => {
            set_code(code);
            error(status, code, &message)
        }
    };
    match fault {
        Some(FaultKind::DropAfter) => dropped(),
        Some(FaultKind::Malformed) => malformed(r#"{"Code":"OK","MessageId":"#),
        _ => response,
    }
}

impl Reviewable for FakeCams {
    fn approve(&self, name: &str, language: &str) -> bool {
        FakeCams::approve(self, name, language)
    }

    fn reject(&self, name: &str, language: &str, reason: &str) -> bool {
        FakeCams::reject(self, name, language, reason)
    }
}
