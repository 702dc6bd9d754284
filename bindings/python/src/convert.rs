//! Python data ↔ wabakit types, and wabakit errors → the exceptions of `wabakit.errors`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::{json, Value};
use wabakit::{Error, ErrorKind};

/// A Python document as JSON. Dicts, lists, tuples, strings, booleans and None are read here
/// by exact type; numbers and anything else (a mapping, a dataclass) go through pythonize,
/// which asks every object that is not a plain type whether it is a dataclass first, an
/// attribute lookup that fails with an exception each time: most of a send's conversion.
///
/// Nesting deeper than the documents' limit is refused (a `ValidationError` at `parse.too_deep`)
/// before this recursion could run out of stack.
pub fn document(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    nested(obj, 0)
}

fn nested(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    use wabakit::parse::limits::MAX_DEPTH;
    if depth > MAX_DEPTH {
        let p = wabakit::Problem::new(
            &wabakit::path::FieldPath::root(),
            wabakit::validate::rules::PARSE_TOO_DEEP.id,
            format!("nested deeper than {MAX_DEPTH} levels"),
        );
        return Err(error(obj.py(), &Error::validation(vec![p])));
    }
    let document = |x: &Bound<'_, PyAny>| nested(x, depth + 1);
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::String(s.extract()?));
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            let Ok(k) = k.cast_exact::<PyString>() else {
                // Keys that are not strings: as pythonize reads them.
                return Ok(pythonize::depythonize(obj)?);
            };
            m.insert(k.extract()?, document(&v)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        return l.iter().map(|x| document(&x)).collect();
    }
    if let Ok(t) = obj.cast_exact::<PyTuple>() {
        return t.iter().map(|x| document(&x)).collect();
    }
    Ok(pythonize::depythonize(obj)?)
}

pub fn output(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, v)?.unbind())
}

pub fn error_json(e: &Error) -> Value {
    json!({
        "kind": e.kind().as_str(), "message": e.message(), "provider": e.provider_name(), "code": e.code(),
        "request_id": e.request_id(), "http_status": e.http_status(), "retryable": e.retryable(),
        "delivery": e.delivery(), "problems": e.problems(), "details": e.details(),
    })
}

/// The `wabakit.errors` exception for `e`, carrying its provider, code, request id and more.
pub fn error(py: Python<'_>, e: &Error) -> PyErr {
    let class = match e.kind() {
        ErrorKind::Config => "ConfigError",
        ErrorKind::Validation => "ValidationError",
        ErrorKind::Unsupported => "UnsupportedError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::ClockSkew => "ClockSkewError",
        ErrorKind::RateLimited => "RateLimitedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::AlreadyExists => "AlreadyExistsError",
        ErrorKind::Recipient => "RecipientError",
        ErrorKind::Billing => "BillingError",
        ErrorKind::Provider => "ProviderError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "TimeoutError",
        // A kind newer than this binding: the base class still carries everything.
        _ => "WabaError",
    };
    let build = || -> PyResult<PyErr> {
        let cls = py.import("wabakit.errors")?.getattr(class)?;
        let info = pythonize::pythonize(py, &error_json(e))?;
        let inst = cls.call_method1("_from_native", (e.to_string(), info))?;
        Ok(PyErr::from_value(inst))
    };
    build().unwrap_or_else(|err| err)
}

/// A `(name, value)` list from a dict or a list of pairs.
pub fn pairs(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if let Ok(d) = obj.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| Ok((k.extract::<String>()?, v.str()?.extract::<String>()?)))
            .collect();
    }
    obj.try_iter()?
        .map(|item| item?.extract::<(String, String)>())
        .collect()
}

pub fn bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if obj.cast::<PyString>().is_ok() {
        return Ok(obj.extract::<String>()?.into_bytes());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "expected bytes or str",
    ))
}

pub mod input {
    use super::*;
    use wabakit::{Template, TemplateMessage};

    fn problems_err(e: wabakit::ReadError) -> PyErr {
        Python::attach(|py| error(py, &Error::from(e)))
    }

    pub fn template(obj: &Bound<'_, PyAny>) -> PyResult<Template> {
        let v: Value = document(obj)?;
        Template::from_value(&v).map_err(problems_err)
    }

    pub fn message(obj: &Bound<'_, PyAny>) -> PyResult<TemplateMessage> {
        let v: Value = document(obj)?;
        TemplateMessage::from_value(&v).map_err(problems_err)
    }
}

pub mod query {
    use super::*;
    use wabakit::{ListQuery, TemplateId, TemplateQuery, TemplateStatus};

    fn s(v: &Value, k: &str) -> Option<String> {
        v.get(k).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn template(obj: &Bound<'_, PyAny>) -> PyResult<TemplateQuery> {
        let v: Value = document(obj)?;
        Ok(TemplateQuery {
            id: s(&v, "id").map(TemplateId),
            name: s(&v, "name"),
            language: s(&v, "language"),
        })
    }

    pub fn list(obj: &Bound<'_, PyAny>) -> PyResult<ListQuery> {
        let v: Value = document(obj)?;
        let mut q = ListQuery {
            name: s(&v, "name"),
            language: s(&v, "language"),
            cursor: s(&v, "cursor"),
            ..Default::default()
        };
        q.status = s(&v, "status").map(|x| TemplateStatus::parse(&x));
        if let Some(l) = v.get("limit").and_then(Value::as_u64) {
            q.limit = l as u32;
        }
        Ok(q)
    }
}
