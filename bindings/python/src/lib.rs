//! `wabakit._native`: the Rust side of the Python package. It takes and gives plain Python
//! data (dicts, lists, strings); the typed classes, exceptions and clients are Python code in
//! `python/wabakit/`. Sync calls release the GIL while they wait; async calls return awaitables
//! on a shared tokio runtime. A panic becomes a Python exception (PyO3 catches it).

mod convert;
mod receiver;
mod sandbox;
mod sign;

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::prelude::*;
use serde_json::{json, Value};
use wabakit::*;

use convert::{error, input, output, query};

fn rt() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// The runtime of sync calls: single-threaded, driven by the calling thread itself while it
/// waits (with the GIL released). A request, its connection and its IO then stay on one thread:
/// on the multi-threaded runtime every call handed work to a worker and back, which cost more
/// CPU than everything else in the call together (bench/README.md). Several Python threads may
/// call at once: tokio lets one of them drive the runtime while the others wait for their own
/// answers.
fn sync_rt() -> PyResult<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start the runtime: {e}"))
    })
}

/// Run a sync call. Between calls nothing drives the runtime, so a pooled connection that the
/// server closed meanwhile still looks open. Yielding first lets the runtime poll its IO and run
/// the connection tasks that this wakes, so such a connection leaves the pool before the call
/// picks one: otherwise a send could go out on a dead connection and come back "may have been
/// delivered" (test_stale_connection.py fails without the yields). One yield was enough there;
/// the second costs nothing and does not lean on the order tokio runs woken tasks in.
fn block_on_sync<F: std::future::Future>(rt: &tokio::runtime::Runtime, f: F) -> F::Output {
    rt.block_on(async {
        tokio::task::yield_now().await;
        tokio::task::yield_now().await;
        f.await
    })
}

/// One client call, with its arguments already read from Python.
enum Call {
    Op(Box<Operation>),
    SendMany(Vec<TemplateMessage>, usize),
    /// A panic, on purpose: the tests' way to see what one becomes (op `_panic`).
    Panic,
}

fn outcome_json(o: &SendOutcome) -> Value {
    match &o.result {
        Ok(r) => {
            json!({"index": o.index, "to": o.to, "client_ref": o.client_ref, "ok": true, "message_id": r.message_id})
        }
        Err(e) => {
            json!({"index": o.index, "to": o.to, "client_ref": o.client_ref, "ok": false, "error": convert::error_json(e)})
        }
    }
}

/// Run a call. A panic in it (a bug) becomes a `TransportError` that says so, with "may have
/// been delivered" (a send may have left), as a panicking send of `send_many` does: never an
/// abort, and the caller's `except WabaError` sees it.
async fn exec(c: Client, call: Call) -> wabakit::Result<Value> {
    use futures_util::FutureExt;
    let what = match &call {
        Call::Op(op) => op.name(),
        Call::SendMany(..) => "send_many",
        Call::Panic => "_panic",
    };
    match std::panic::AssertUnwindSafe(run(c, call))
        .catch_unwind()
        .await
    {
        Ok(r) => r,
        Err(_) => Err(Error::new(
            ErrorKind::Transport,
            format!("{what}: an internal error in wabakit (a panic: please report it)"),
        )
        .with_delivery(Delivery::MayHaveBeenDelivered)),
    }
}

async fn run(c: Client, call: Call) -> wabakit::Result<Value> {
    let v = match call {
        Call::Panic => panic!("a panic on purpose"),
        Call::Op(op) => match *op {
            Operation::CreateTemplate(t) => serde_json::to_value(c.create_template(&t).await?),
            Operation::UpdateTemplate(id, t) => {
                serde_json::to_value(c.update_template(&id, &t).await?)
            }
            Operation::GetTemplate(q) => serde_json::to_value(c.get_template(&q).await?),
            Operation::ListTemplates(q) => serde_json::to_value(c.list_templates(&q).await?),
            Operation::DeleteTemplate(q) => {
                c.delete_template(&q).await?;
                Ok(Value::Null)
            }
            Operation::Send(m) => serde_json::to_value(c.send(&m).await?),
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("{} is not served here", other.name()),
                ))
            }
        },
        Call::SendMany(ms, concurrency) => {
            let mut rx = c.send_many(ms, concurrency);
            let mut out = Vec::new();
            while let Some(o) = rx.recv().await {
                out.push(outcome_json(&o));
            }
            out.sort_by_key(|o| o["index"].as_u64());
            Ok(Value::Array(out))
        }
    };
    v.map_err(|e| {
        Error::new(
            ErrorKind::Transport,
            format!("cannot convert the answer: {e}"),
        )
    })
}

/// `Client.send_many`'s native half: takes the next message from the Python iterator only
/// when a send is free for it (memory stays flat however long the input), and hands back each
/// result as it completes, the GIL released while it waits. `close()` stops taking input and
/// waits for the sends under way, whose results it returns.
#[pyclass(module = "wabakit._native")]
struct NativeSendStream {
    /// The messages not taken yet; None once used up or closed.
    input: Option<Py<pyo3::types::PyIterator>>,
    /// Messages go to the bulk sender here; dropped when no more will come.
    feed: Option<tokio::sync::mpsc::Sender<TemplateMessage>>,
    outcomes: wabakit::bulk::Outcomes,
    concurrency: usize,
    /// Messages fed to the sender, and inputs taken (an unreadable one is not fed).
    fed: u64,
    taken: u64,
    /// The input position of each message under way, by its position among those fed.
    positions: std::collections::HashMap<u64, u64>,
    /// Results ready to be handed back.
    ready: std::collections::VecDeque<Value>,
}

impl NativeSendStream {
    /// Take messages from the input until `concurrency` are under way or it is used up.
    fn top_up(&mut self, py: Python<'_>) -> PyResult<()> {
        while self.positions.len() < self.concurrency && self.ready.len() < self.concurrency {
            let Some(input) = &self.input else { break };
            let next = input.bind(py).clone().next();
            let Some(doc) = next else {
                self.input = None;
                self.feed = None;
                break;
            };
            let index = self.taken;
            self.taken += 1;
            let doc = convert::document(&doc?)?;
            match TemplateMessage::from_value(&doc) {
                Ok(m) => {
                    let Some(feed) = &self.feed else { break };
                    if feed.try_send(m).is_err() {
                        // Not expected: the channel holds as many as may be under way.
                        return Err(pyo3::exceptions::PyRuntimeError::new_err(
                            "the bulk sender stopped taking messages",
                        ));
                    }
                    self.positions.insert(self.fed, index);
                    self.fed += 1;
                }
                Err(e) => {
                    // Unreadable: its result says why (every problem, as a send would raise
                    // it), at its place in the input.
                    let to = doc.get("to").and_then(Value::as_str).unwrap_or_default();
                    let client_ref = doc.get("client_ref").and_then(Value::as_str);
                    let e = wabakit::Error::from(e);
                    self.ready
                        .push_back(json!({"index": index, "to": to, "client_ref": client_ref,
                        "ok": false, "error": convert::error_json(&e)}));
                }
            }
        }
        Ok(())
    }

    /// Wait for at least one outcome (with the GIL released), then take every one that is
    /// ready; false once every message fed has its outcome.
    fn wait(&mut self, py: Python<'_>) -> PyResult<bool> {
        use futures_util::FutureExt;
        let rt = sync_rt()?;
        let outcomes = &mut self.outcomes;
        let got = py.detach(|| {
            block_on_sync(rt, async {
                let Some(first) = outcomes.recv().await else {
                    return Vec::new();
                };
                let mut all = vec![first];
                while let Some(Some(o)) = outcomes.recv().now_or_never() {
                    all.push(o);
                }
                all
            })
        });
        if got.is_empty() {
            return Ok(false);
        }
        for o in got {
            let mut v = outcome_json(&o);
            v["index"] = json!(self.positions.remove(&o.index));
            self.ready.push_back(v);
        }
        Ok(true)
    }
}

#[pymethods]
impl NativeSendStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            self.top_up(py)?;
            if let Some(v) = self.ready.pop_front() {
                return output(py, &v).map(Some);
            }
            if self.positions.is_empty() && self.input.is_none() {
                return Ok(None);
            }
            if !self.wait(py)? && self.input.is_none() {
                return Ok(None);
            }
        }
    }

    /// Take no more input; wait for the sends under way and return their results (those
    /// not yet handed back), in the order they completed.
    fn close(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.input = None;
        self.feed = None;
        while !self.positions.is_empty() && self.wait(py)? {}
        let left: Vec<Value> = self.ready.drain(..).collect();
        output(py, &Value::Array(left))
    }
}

#[pyclass(module = "wabakit._native", frozen)]
struct NativeClient {
    inner: Client,
    /// Sync or async, fixed by the first call: the two run on different runtimes, and a pooled
    /// connection of one would wait forever on the other.
    mode: OnceLock<Mode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Sync,
    Async,
}

impl NativeClient {
    fn new(inner: Client) -> Self {
        NativeClient {
            inner,
            mode: OnceLock::new(),
        }
    }

    fn enter(&self, mode: Mode) -> PyResult<()> {
        match *self.mode.get_or_init(|| mode) {
            m if m == mode => Ok(()),
            Mode::Sync => Err(pyo3::exceptions::PyRuntimeError::new_err(
                "this client makes sync calls; make an AsyncClient for async ones",
            )),
            Mode::Async => Err(pyo3::exceptions::PyRuntimeError::new_err(
                "this client makes async calls; make a Client for sync ones",
            )),
        }
    }
    fn call(&self, py: Python<'_>, call: Call) -> PyResult<Py<PyAny>> {
        self.enter(Mode::Sync)?;
        let c = self.inner.clone();
        let rt = sync_rt()?;
        // The GIL is released while the request is under way.
        let r = py.detach(move || block_on_sync(rt, exec(c, call)));
        match r {
            Ok(v) => output(py, &v),
            Err(e) => Err(error(py, &e)),
        }
    }

    fn acall<'py>(&self, py: Python<'py>, call: Call) -> PyResult<Bound<'py, PyAny>> {
        self.enter(Mode::Async)?;
        let c = self.inner.clone();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let r = exec(c, call).await;
            Python::attach(|py| match r {
                Ok(v) => output(py, &v),
                Err(e) => Err(error(py, &e)),
            })
        })
    }

    fn read(&self, py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Call> {
        let _ = py;
        if op == "send_many" {
            let mut ms = Vec::new();
            for m in args.get_item(0)?.try_iter()? {
                ms.push(input::message(&m?)?);
            }
            return Ok(Call::SendMany(ms, args.get_item(1)?.extract::<usize>()?));
        }
        if op == "_panic" {
            return Ok(Call::Panic);
        }
        let kind = OperationKind::from_name(op)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.message().to_owned()))?;
        let arg = |i: usize| args.get_item(i);
        Ok(Call::Op(Box::new(match kind {
            OperationKind::CreateTemplate => Operation::CreateTemplate(input::template(&arg(0)?)?),
            OperationKind::UpdateTemplate => Operation::UpdateTemplate(
                TemplateId::new(arg(0)?.extract::<String>()?),
                input::template(&arg(1)?)?,
            ),
            OperationKind::GetTemplate => Operation::GetTemplate(query::template(&arg(0)?)?),
            OperationKind::ListTemplates => Operation::ListTemplates(query::list(&arg(0)?)?),
            OperationKind::DeleteTemplate => Operation::DeleteTemplate(query::template(&arg(0)?)?),
            OperationKind::Send => Operation::Send(input::message(&arg(0)?)?),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "{other} is not served here"
                )))
            }
        })))
    }
}

#[pymethods]
impl NativeClient {
    #[staticmethod]
    #[pyo3(signature = (path, profile=None))]
    fn from_config(py: Python<'_>, path: PathBuf, profile: Option<String>) -> PyResult<Self> {
        Client::from_config(&path, profile.as_deref())
            .map(NativeClient::new)
            .map_err(|e| error(py, &e))
    }

    /// As the Rust `Client::from_env`.
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Client::from_env()
            .map(NativeClient::new)
            .map_err(|e| error(py, &e))
    }

    /// With `store`, every send is recorded there.
    #[staticmethod]
    #[pyo3(signature = (profile, store=None))]
    fn from_dict(
        py: Python<'_>,
        profile: &Bound<'_, PyAny>,
        store: Option<PyRef<'_, receiver::NativeStore>>,
    ) -> PyResult<Self> {
        let v: Value = convert::document(profile)?;
        let c = Client::from_profile("dict", &v, &ProcessEnv).map_err(|e| error(py, &e))?;
        let c = match store {
            Some(s) => c.with_store(s.store().clone()),
            None => c,
        };
        Ok(NativeClient::new(c))
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }

    #[getter]
    fn provider(&self) -> String {
        self.inner.provider().name().to_owned()
    }

    #[getter]
    fn profile(&self) -> String {
        self.inner.profile().to_owned()
    }

    /// Every problem of a template for this provider (reading problems included).
    fn validate(&self, py: Python<'_>, template: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let v: Value = convert::document(template)?;
        let problems = match Template::from_value(&v) {
            Err(p) => p.into_problems(),
            Ok(t) => self.inner.validate(&t),
        };
        output(py, &serde_json::to_value(problems).unwrap_or_default())
    }

    /// Run operation `op` with `args` (a tuple), waiting for the answer with the GIL released.
    fn run(&self, py: Python<'_>, op: &str, args: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let call = self.read(py, op, args)?;
        self.call(py, call)
    }

    /// Send the messages of a Python iterable lazily, `concurrency` at a time: an iterator of
    /// result dicts in the order they complete (see [`NativeSendStream`]).
    fn send_stream(
        &self,
        messages: &Bound<'_, PyAny>,
        concurrency: usize,
    ) -> PyResult<NativeSendStream> {
        self.enter(Mode::Sync)?;
        let concurrency = concurrency.max(1);
        let rt = sync_rt()?;
        // The bulk sender's own path (one way to send many), fed message by message.
        let (tx, rx) = tokio::sync::mpsc::channel::<TemplateMessage>(concurrency);
        let source =
            futures_util::stream::unfold(
                rx,
                |mut rx| async move { rx.recv().await.map(|m| (m, rx)) },
            );
        let _entered = rt.enter();
        let outcomes = self.inner.send_many_stream(source, concurrency);
        Ok(NativeSendStream {
            input: Some(messages.try_iter()?.unbind()),
            feed: Some(tx),
            outcomes,
            concurrency,
            fed: 0,
            taken: 0,
            positions: std::collections::HashMap::new(),
            ready: std::collections::VecDeque::new(),
        })
    }

    /// As `run`, as an awaitable.
    fn arun<'py>(
        &self,
        py: Python<'py>,
        op: &str,
        args: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = self.read(py, op, args)?;
        self.acall(py, call)
    }

    #[pyo3(signature = (op, document=None, id=None, ts=None, nonce=None))]
    fn render(
        &self,
        py: Python<'_>,
        op: &str,
        document: Option<&Bound<'_, PyAny>>,
        id: Option<String>,
        ts: Option<u64>,
        nonce: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let need = || {
            document.ok_or_else(|| {
                pyo3::exceptions::PyValueError::new_err(format!("{op} needs a document"))
            })
        };
        let kind = OperationKind::from_name(op)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.message().to_owned()))?;
        let operation = match kind {
            OperationKind::CreateTemplate => Operation::CreateTemplate(input::template(need()?)?),
            OperationKind::UpdateTemplate => Operation::UpdateTemplate(
                TemplateId::new(id.ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err("update_template needs id")
                })?),
                input::template(need()?)?,
            ),
            OperationKind::Send => Operation::Send(input::message(need()?)?),
            OperationKind::GetTemplate => Operation::GetTemplate(query::template(need()?)?),
            OperationKind::DeleteTemplate => Operation::DeleteTemplate(query::template(need()?)?),
            OperationKind::ListTemplates => Operation::ListTemplates(match document {
                Some(d) => query::list(d)?,
                None => ListQuery::default(),
            }),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "{other} cannot be rendered here"
                )))
            }
        };
        let at = Pinned {
            unix_millis: ts.unwrap_or_else(|| SystemClock.unix_millis()),
            nonce: nonce.unwrap_or_else(|| "00000000000000000000000000000000".into()),
        };
        let req = self
            .inner
            .render(&operation, &at)
            .map_err(|e| error(py, &e))?;
        output(py, &serde_json::to_value(&req).unwrap_or_default())
    }
}

/// A template document, read and written back (normalized); a ValidationError lists every
/// reading problem.
#[pyfunction]
fn parse_template(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let t = input::template(document)?;
    output(py, &t.to_value())
}

/// A document's text in `format` ("json", "yaml" or "toml") as a value (`kind` "template" or
/// "message"), read and checked as `parse_template`/`parse_message` do.
#[pyfunction]
fn parse_text(py: Python<'_>, kind: &str, text: &str, format: &str) -> PyResult<Py<PyAny>> {
    let format = match format.to_ascii_lowercase().as_str() {
        "json" => wabakit::Format::Json,
        "yaml" | "yml" => wabakit::Format::Yaml,
        "toml" => wabakit::Format::Toml,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "format {other:?}: expected \"json\", \"yaml\" or \"toml\""
            )))
        }
    };
    let v = match kind {
        "template" => wabakit::Template::from_text(text, format).map(|t| t.to_value()),
        _ => wabakit::TemplateMessage::from_text(text, format).map(|m| m.to_value()),
    };
    let v = v.map_err(|e| error(py, &wabakit::Error::from(e)))?;
    output(py, &v)
}

#[pyfunction]
fn parse_message(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let m = input::message(document)?;
    output(py, &m.to_value())
}

/// The common WhatsApp rules for a template, without a provider.
#[pyfunction(name = "validate_template")]
fn validate_document(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let v: Value = convert::document(document)?;
    let problems = match Template::from_value(&v) {
        Err(p) => p.into_problems(),
        Ok(t) => t.validate(),
    };
    output(py, &serde_json::to_value(problems).unwrap_or_default())
}

/// Events of a webhook or receipt body, parsed (and, with `secret`, verified) by the
/// provider registered as `provider`.
#[pyfunction]
#[pyo3(signature = (provider, headers, body, secret=None, max_age=Some(60.0)))]
fn parse_webhook(
    py: Python<'_>,
    provider: &str,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    secret: Option<String>,
    max_age: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let headers = convert::pairs(headers)?;
    let body = convert::bytes(body)?;
    let reg = wabakit::registry::find(provider)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.message().to_owned()))?;
    // Where the vendor signs a timestamp, a callback older than max_age is a replay.
    let check = wabakit::raw::CallbackCheck {
        secret: secret.as_deref(),
        now_millis: max_age.map(|_| wabakit::Clock::unix_millis(&wabakit::SystemClock)),
        window_millis: max_age.map(|s| (s.max(0.0) * 1000.0) as u64),
    };
    let events = (reg.callbacks)(&headers, &body, &check).map_err(|e| error(py, &e))?;
    output(py, &serde_json::to_value(events).unwrap_or_default())
}

/// Show recipients' numbers whole in wabakit's messages (masked by default).
#[pyfunction]
fn show_recipients(on: bool) {
    wabakit::privacy::show_recipients(on);
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<NativeSendStream>()?;
    m.add_class::<sandbox::NativeSandbox>()?;
    m.add_class::<receiver::NativeReceiver>()?;
    m.add_class::<receiver::NativeStore>()?;
    m.add_function(wrap_pyfunction!(parse_template, m)?)?;
    m.add_function(wrap_pyfunction!(parse_message, m)?)?;
    m.add_function(wrap_pyfunction!(parse_text, m)?)?;
    m.add_function(wrap_pyfunction!(validate_document, m)?)?;
    m.add_function(wrap_pyfunction!(parse_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(show_recipients, m)?)?;
    sign::register(m)?;
    Ok(())
}
