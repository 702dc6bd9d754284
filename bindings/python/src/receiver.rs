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
