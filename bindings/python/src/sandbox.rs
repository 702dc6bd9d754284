//! `wabakit.Sandbox`: every compiled-in provider's fake server on 127.0.0.1, on the package's
//! runtime, found through the registry.

use pyo3::prelude::*;
use serde_json::{json, Value};
use wabakit::raw::{Sandbox, SandboxOptions};

use crate::convert::output;

#[pyclass(module = "wabakit._native")]
pub struct NativeSandbox {
    /// `None` once closed.
    running: Option<Vec<Box<dyn Sandbox>>>,
}

#[pymethods]
impl NativeSandbox {
    /// With `callbacks` (a receiver's base URL), each fake posts its callbacks to
    /// `{callbacks}/callbacks/{provider}`.
    #[new]
    #[pyo3(signature = (instant_review=true, callbacks=None))]
    fn new(py: Python<'_>, instant_review: bool, callbacks: Option<String>) -> PyResult<Self> {
        let started = py.detach(move || {
            crate::rt().block_on(async move {
                let mut out = Vec::new();
                for reg in wabakit::PROVIDERS {
                    let Some(start) = reg.sandbox else { continue };
                    let callback_url = callbacks.as_deref().map(|base| {
                        format!("{}/callbacks/{}", base.trim_end_matches('/'), reg.name)
                    });
                    out.push(
                        start(SandboxOptions {
                            instant_review,
                            callback_url,
                        })
                        .await?,
                    );
                }
                Ok::<_, std::io::Error>(out)
            })
        });
        let running = started.map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
        Ok(NativeSandbox {
            running: Some(running),
        })
    }

    /// The providers with a sandbox here.
    fn providers(&self) -> Vec<String> {
        self.running
            .iter()
            .flatten()
            .map(|s| s.provider().to_owned())
            .collect()
    }

    /// A ready profile (a dict for `Client.from_dict`) for `provider`, or for `memory`.
    fn config(&self, py: Python<'_>, provider: &str) -> PyResult<Py<PyAny>> {
        let v = if provider == wabakit::memory::REGISTRATION.name {
            json!({"provider": provider})
        } else {
            Value::Object(self.find(provider)?.profile())
        };
        output(py, &v)
    }

    /// Finish a template's review in a fake: approve, or reject with a reason.
    #[pyo3(signature = (provider, name, language, approve, reason=None))]
    fn review(
        &self,
        provider: &str,
        name: &str,
        language: &str,
        approve: bool,
        reason: Option<String>,
    ) -> PyResult<bool> {
        let s = self.find(provider)?;
        let reason = reason.unwrap_or_else(|| "INVALID_FORMAT".into());
        // A review posts its webhook from a task: on the runtime the fakes serve on.
        let _on = crate::rt().enter();
        Ok(if approve {
            s.approve(name, language)
        } else {
            s.reject(name, language, &reason)
        })
    }

    /// Stop the servers.
    fn close(&mut self) {
        self.running = None;
    }
}

impl NativeSandbox {
    fn find(&self, provider: &str) -> PyResult<&dyn Sandbox> {
        let running = self
            .running
            .as_ref()
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the sandbox is closed"))?;
        running
            .iter()
            .find(|s| s.provider() == provider)
            .map(|s| s.as_ref())
            .ok_or_else(|| {
                let names: Vec<&str> = running.iter().map(|s| s.provider()).collect();
                pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown provider {provider:?} (sandboxes: {})",
                    names.join(", ")
                ))
            })
    }
}
