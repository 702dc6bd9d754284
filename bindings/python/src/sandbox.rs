//! `wabakit.Sandbox`: both fake servers on 127.0.0.1, on the package's runtime.

use pyo3::prelude::*;
use serde_json::json;
use wabakit_alibaba::fake::{FakeCams, FakeOptions as CamsOptions};
use wabakit_nxcloud::fake::{FakeNxcloud, FakeOptions as NxOptions};

use crate::convert::output;

#[pyclass(module = "wabakit._native")]
pub struct NativeSandbox {
    nx: Option<FakeNxcloud>,
    cams: Option<FakeCams>,
}

#[pymethods]
impl NativeSandbox {
    #[new]
    #[pyo3(signature = (instant_review=true))]
    fn new(py: Python<'_>, instant_review: bool) -> PyResult<Self> {
        let started = py.detach(move || {
            crate::rt().block_on(async move {
                let nx = FakeNxcloud::start(NxOptions {
                    instant_review,
                    ..Default::default()
                })
                .await?;
                let cams = FakeCams::start(CamsOptions {
                    instant_review,
                    ..Default::default()
                })
                .await?;
                Ok::<_, std::io::Error>((nx, cams))
            })
        });
        let (nx, cams) =
            started.map_err(|e| pyo3::exceptions::PyOSError::new_err(e.to_string()))?;
        Ok(NativeSandbox {
            nx: Some(nx),
            cams: Some(cams),
        })
    }

    /// A ready profile (a dict for `Client.from_dict`) for `provider`: nxcloud, alibaba or memory.
    fn config(&self, py: Python<'_>, provider: &str) -> PyResult<Py<PyAny>> {
        let closed = || pyo3::exceptions::PyRuntimeError::new_err("the sandbox is closed");
        let v = match provider {
            "nxcloud" => {
                let f = self.nx.as_ref().ok_or_else(closed)?;
                let o = f.options();
                json!({"provider": "nxcloud", "access_key": o.access_key, "access_secret": o.access_secret,
                       "app_key": o.app_key, "business_phone": o.business_phone, "endpoint": f.url()})
            }
            "alibaba" => {
                let f = self.cams.as_ref().ok_or_else(closed)?;
                let o = f.options();
                json!({"provider": "alibaba", "access_key_id": o.access_key_id, "access_key_secret": o.access_key_secret,
                       "cust_space_id": o.cust_space_id, "from": o.from, "endpoint": f.url()})
            }
            "memory" => json!({"provider": "memory"}),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown provider {other:?}"
                )))
            }
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
        let reason = reason.unwrap_or_else(|| "INVALID_FORMAT".into());
        let closed = || pyo3::exceptions::PyRuntimeError::new_err("the sandbox is closed");
        Ok(match provider {
            "nxcloud" => {
                let f = self.nx.as_ref().ok_or_else(closed)?;
                if approve {
                    f.approve(name, language)
                } else {
                    f.reject(name, language, &reason)
                }
            }
            "alibaba" => {
                let f = self.cams.as_ref().ok_or_else(closed)?;
                if approve {
                    f.approve(name, language)
                } else {
                    f.reject(name, language, &reason)
                }
            }
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown provider {other:?}"
                )))
            }
        })
    }

    /// Stop both servers.
    fn close(&mut self) {
        self.nx = None;
        self.cams = None;
    }
}
