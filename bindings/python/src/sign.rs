//! The signers as plain functions: `wabakit.nxcloud.sign`, `wabakit.alibaba.sign_v3/v1`.

use pyo3::prelude::*;
use serde_json::json;

use crate::convert::{bytes, output, pairs};

/// Name and value pairs as the Alibaba signers take them.
fn signed_pairs(obj: &Bound<'_, PyAny>) -> PyResult<Vec<wabakit::alibaba::Pair<'static>>> {
    Ok(pairs(obj)?
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect())
}

/// The arguments are the Python API's own (ARCHITECTURE §10), one by one.
#[pyfunction]
#[pyo3(signature = (access_key, access_secret, ts, biz_type, action, body=None, algorithm="md5"))]
#[allow(clippy::too_many_arguments)]
pub fn nxcloud_sign(
    py: Python<'_>,
    access_key: &str,
    access_secret: &str,
    ts: &Bound<'_, PyAny>,
    biz_type: &Bound<'_, PyAny>,
    action: &str,
    body: Option<&Bound<'_, PyAny>>,
    algorithm: &str,
) -> PyResult<Py<PyAny>> {
    let ts: String = ts.str()?.extract()?;
    let biz: String = biz_type.str()?.extract()?;
    let body = body.map(bytes).transpose()?;
    let algorithm = wabakit::nxcloud::Algorithm::parse(algorithm).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "unknown algorithm {algorithm:?} (md5, sha256)"
        ))
    })?;
    let s = wabakit::nxcloud::sign(&wabakit::nxcloud::SignInput {
        access_key,
        access_secret,
        ts: &ts,
        biz_type: &biz,
        action,
        body: body.as_deref(),
        algorithm,
    });
    output(
        py,
        &json!({"sign": s.sign, "string_to_sign": String::from_utf8_lossy(s.string_to_sign.as_bytes())}),
    )
}

#[pyfunction]
#[pyo3(signature = (method, host, query, headers, body, access_key_id, access_key_secret, signed_headers=None))]
#[allow(clippy::too_many_arguments)]
pub fn alibaba_sign_v3(
    py: Python<'_>,
    method: &str,
    host: &str,
    query: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    access_key_id: &str,
    access_key_secret: &str,
    signed_headers: Option<Vec<String>>,
) -> PyResult<Py<PyAny>> {
    let query = signed_pairs(query)?;
    let mut headers = signed_pairs(headers)?;
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        headers.push(("host".into(), host.into()));
    }
    let body = bytes(body)?;
    let signed: Option<Vec<&str>> = signed_headers
        .as_ref()
        .map(|v| v.iter().map(String::as_str).collect());
    let s = wabakit::alibaba::sign_v3(&wabakit::alibaba::V3Input {
        method,
        query: &query,
        headers: &headers,
        body: &body,
        hashed_payload: None,
        access_key_id,
        access_key_secret,
        signed_headers: signed.as_deref(),
    });
    output(
        py,
        &json!({"canonical_request": s.canonical_request, "string_to_sign": s.string_to_sign, "signature": s.signature,
                "authorization": s.authorization, "signed_headers": s.signed_headers, "hashed_payload": s.hashed_payload}),
    )
}

#[pyfunction]
pub fn alibaba_sign_v1(
    py: Python<'_>,
    method: &str,
    params: &Bound<'_, PyAny>,
    access_key_secret: &str,
) -> PyResult<Py<PyAny>> {
    let params = signed_pairs(params)?;
    let s = wabakit::alibaba::sign_v1(method, &params, access_key_secret);
    output(
        py,
        &json!({"canonicalized_query": s.canonicalized_query, "string_to_sign": s.string_to_sign, "signature": s.signature}),
    )
}

/// The signers, as functions of `_native` (each provider's Python submodule wraps its own).
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(nxcloud_sign, m)?)?;
    m.add_function(wrap_pyfunction!(alibaba_sign_v3, m)?)?;
    m.add_function(wrap_pyfunction!(alibaba_sign_v1, m)?)?;
    Ok(())
}
