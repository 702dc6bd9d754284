//! `wabakit.Receiver` and `wabakit.Store`: the receipts server's core and the message store,
//! the same native code `wabakit serve` runs. The Python side makes ASGI and WSGI apps of it.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use wabakit::config::{ConfigFile, ProcessEnv};
use wabakit::receiver::{Answer, Receiver};
use wabakit::store::{ReportFilter, Store};

use crate::convert::{self, error, output};

/// `(status, content_type, body, events)`: events are JSON dicts, committed.
type Handled = (u16, String, Vec<u8>, Py<PyAny>);

fn handled(py: Python<'_>, (a, events): (Answer, Vec<wabakit::Event>)) -> PyResult<Handled> {
    let events = output(py, &serde_json::to_value(events).unwrap_or_default())?;
    Ok((
        a.status,
        a.content_type.to_owned(),
        a.body.into_bytes(),
        events,
    ))
}

#[pyclass(module = "wabakit._native", frozen)]
pub struct NativeReceiver {
    inner: Arc<Receiver>,
}

#[pymethods]
impl NativeReceiver {
    /// Every profile of a config file, and its store.
    #[staticmethod]
    fn from_config(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let r = ConfigFile::load(&path).and_then(|f| Receiver::from_config(&f, &ProcessEnv));
        let r = r.map_err(|e| error(py, &e))?;
        Ok(NativeReceiver { inner: Arc::new(r) })
    }

    /// These profiles (name → profile dict), with a store at `store`.
    #[staticmethod]
    fn from_profiles(py: Python<'_>, profiles: &Bound<'_, PyAny>, store: &str) -> PyResult<Self> {
        let profiles: serde_json::Map<String, serde_json::Value> =
            pythonize::depythonize(profiles)?;
        let build = || -> wabakit::Result<Receiver> {
            let mut r = Receiver::new(Store::open(store)?);
            for (name, v) in &profiles {
                r = r.with_profile(name, wabakit::registry::build(name, v, &ProcessEnv)?);
            }
            Ok(r)
        };
        let r = build().map_err(|e| error(py, &e))?;
        Ok(NativeReceiver { inner: Arc::new(r) })
    }

    /// The profiles served.
    fn profiles(&self) -> Vec<String> {
        self.inner
            .profiles()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// A POSTed callback (its URL's query too), handled (blocking, the GIL released):
    /// committed, then answered.
    #[pyo3(signature = (profile, headers, body, query=String::new()))]
    fn post(
        &self,
        py: Python<'_>,
        profile: String,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        query: String,
    ) -> PyResult<Handled> {
        let (headers, body) = (convert::pairs(headers)?, convert::bytes(body)?);
        let r = self.inner.clone();
        let rt = crate::sync_rt()?;
        let out = py.detach(move || {
            crate::block_on_sync(rt, async move {
                r.post_events(&profile, &query, &headers, &body).await
            })
        });
        handled(py, out)
    }

    /// The same, awaitable.
    #[pyo3(signature = (profile, headers, body, query=String::new()))]
    fn apost<'py>(
        &self,
        py: Python<'py>,
        profile: String,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        query: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (headers, body) = (convert::pairs(headers)?, convert::bytes(body)?);
        let r = self.inner.clone();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let out = r.post_events(&profile, &query, &headers, &body).await;
            Python::attach(|py| handled(py, out))
        })
    }

    /// A GET (the provider's verification request): `(status, content_type, body)`.
    fn get(&self, profile: &str, query: &str) -> (u16, String, Vec<u8>) {
        let a = self.inner.get(profile, query);
        (a.status, a.content_type.to_owned(), a.body.into_bytes())
    }

    /// The counters in Prometheus' text format.
    fn metrics(&self) -> String {
        self.inner.metrics()
    }

    /// The store the events go to.
    fn store(&self) -> NativeStore {
        NativeStore {
            inner: self.inner.store().clone(),
        }
    }
}

#[pyclass(module = "wabakit._native", frozen)]
pub struct NativeStore {
    inner: Store,
}

impl NativeStore {
    /// The store, for a client that records its sends in it.
    pub fn store(&self) -> &Store {
        &self.inner
    }

    fn run<T: serde::Serialize + Send>(
        &self,
        py: Python<'_>,
        f: impl std::future::Future<Output = wabakit::Result<T>> + Send,
    ) -> PyResult<Py<PyAny>> {
        let rt = crate::sync_rt()?;
        let r = py.detach(|| crate::block_on_sync(rt, f));
        let v = r.map_err(|e| error(py, &e))?;
        output(py, &serde_json::to_value(v).unwrap_or_default())
    }
}

#[pymethods]
impl NativeStore {
    /// The store at `url` (`sqlite://wabakit.db`), created and migrated.
    #[staticmethod]
    fn open(py: Python<'_>, url: &str) -> PyResult<Self> {
        let inner = Store::open(url).map_err(|e| error(py, &e))?;
        Ok(NativeStore { inner })
    }

    /// Its URL.
    fn url(&self) -> String {
        self.inner.url().to_string()
    }

    /// A message and its events, by message id or client_ref; `None` if unknown.
    fn history(&self, py: Python<'_>, id: String) -> PyResult<Py<PyAny>> {
        let s = self.inner.clone();
        self.run(py, async move { s.history(&id).await })
    }

    /// Counts by status, rates, failures by code, sent → delivered latency.
    #[pyo3(signature = (campaign=None, since_millis=None, provider=None))]
    fn report(
        &self,
        py: Python<'_>,
        campaign: Option<String>,
        since_millis: Option<i64>,
        provider: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let s = self.inner.clone();
        let f = ReportFilter {
            campaign,
            since_millis,
            provider,
        };
        self.run(py, async move { s.report(f).await })
    }

    /// Create campaign `name` for `profile` (its table: the provider is read from it) and load
    /// `rows` (message documents; `template` and `language` filled in where a row has none):
    /// `{"added", "already", "invalid": [[row, why], …]}`.
    #[pyo3(signature = (name, profile_name, profile, template, language, rows))]
    #[allow(clippy::too_many_arguments)]
    fn campaign_create(
        &self,
        py: Python<'_>,
        name: String,
        profile_name: String,
        profile: &Bound<'_, PyAny>,
        template: String,
        language: String,
        rows: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let table = crate::convert::document(profile)?;
        let provider = table
            .get("provider")
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .to_owned();
        let mut messages = Vec::new();
        for (i, row) in rows.try_iter()?.enumerate() {
            let mut doc = crate::convert::document(&row?)?;
            if let Some(m) = doc.as_object_mut() {
                m.entry("template")
                    .or_insert_with(|| template.clone().into());
                m.entry("language")
                    .or_insert_with(|| language.clone().into());
            }
            let m = wabakit::TemplateMessage::from_value(&doc).map_err(|p| {
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            messages.push((i as u64 + 1, m));
        }
        let spec = wabakit::store::CampaignSpec {
            name,
            profile: profile_name,
            provider,
            template,
            language,
        };
        let s = self.inner.clone();
        self.run(py, async move {
            let l = wabakit::campaign::Campaign::create(&s, spec, messages).await?;
            Ok(serde_json::json!({"added": l.added, "already": l.already, "invalid": l.invalid}))
        })
    }

    /// Work on campaign `name`, sending through `profile` (its table) until no row is open or
    /// it is paused or cancelled: `{"sent", "failed", "uncertain", "skipped", "stopped"}`.
    #[pyo3(signature = (name, profile, concurrency=64, rate=None, lease_seconds=30.0, worker=None))]
    #[allow(clippy::too_many_arguments)]
    fn campaign_run(
        &self,
        py: Python<'_>,
        name: String,
        profile: &Bound<'_, PyAny>,
        concurrency: usize,
        rate: Option<u32>,
        lease_seconds: f64,
        worker: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        use wabakit::campaign::{worker_profile, Campaign, RunOptions};
        let table = crate::convert::document(profile)?;
        let s = self.inner.clone();
        let rt = crate::sync_rt()?;
        let r = py.detach(|| {
            crate::block_on_sync(rt, async move {
                let (spec, _) = s.campaign(&name).await?.ok_or_else(|| {
                    wabakit::Error::config(format!("no campaign {name:?} in the store"))
                })?;
                let env = &wabakit::ProcessEnv;
                let rate = match rate {
                    Some(0) => None,
                    Some(r) => Some(r),
                    None => wabakit::Client::from_profile(&spec.profile, &table, env)?
                        .provider()
                        .limit(wabakit::OperationKind::Send),
                };
                let client =
                    wabakit::Client::from_profile(&spec.profile, &worker_profile(&table), env)?;
                let options = RunOptions {
                    concurrency,
                    rate,
                    lease: std::time::Duration::from_secs_f64(lease_seconds.max(1.0)),
                    worker,
                    ..RunOptions::default()
                };
                let c = Campaign::new(s, &name);
                let r = c.run(&client, options, std::future::pending()).await?;
                Ok(serde_json::json!({
                    "sent": r.sent, "failed": r.failed, "uncertain": r.uncertain,
                    "skipped": r.skipped, "stopped": r.stopped,
                }))
            })
        });
        let v = r.map_err(|e| error(py, &e))?;
        output(py, &v)
    }

    /// A campaign's progress.
    fn campaign_status(&self, py: Python<'_>, name: String) -> PyResult<Py<PyAny>> {
        let s = self.inner.clone();
        self.run(py, async move { s.campaign_status(&name).await })
    }

    /// `running`, `paused` or `cancelled` (cancelling cancels the rows not yet started).
    fn campaign_set_state(
        &self,
        py: Python<'_>,
        name: String,
        state: String,
    ) -> PyResult<Py<PyAny>> {
        use wabakit::store::CampaignState;
        let to = match state.as_str() {
            "running" => CampaignState::Running,
            "paused" => CampaignState::Paused,
            "cancelled" => CampaignState::Cancelled,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "state {other:?}: running, paused or cancelled"
                )))
            }
        };
        let s = self.inner.clone();
        self.run(py, async move { s.set_campaign_state(&name, to).await })
    }

    /// Put the rows still uncertain back to be sent again; how many.
    fn campaign_retry_uncertain(&self, py: Python<'_>, name: String) -> PyResult<Py<PyAny>> {
        let s = self.inner.clone();
        self.run(py, async move { s.retry_uncertain(&name).await })
    }

    /// A template's review, category and quality as its events said.
    fn template(
        &self,
        py: Python<'_>,
        provider: String,
        name: String,
        language: String,
    ) -> PyResult<Py<PyAny>> {
        let s = self.inner.clone();
        self.run(
            py,
            async move { s.template(&provider, &name, &language).await },
        )
    }
}
