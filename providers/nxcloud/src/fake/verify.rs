//! The fake's request check, as NXCloud documents it: five headers, the access key, bizType and
//! action, a `ts` within ±60 s, and the sign recomputed over the raw body.

use axum::http::HeaderMap;

use crate::sign::{sign, signature_matches, Algorithm, SignInput};

/// A header, by case-insensitive name.
pub fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

pub struct Expect<'a> {
    pub access_key: &'a str,
    pub access_secret: &'a str,
    /// Accepted `action` values for the path.
    pub actions: &'a [&'a str],
    pub now_millis: u64,
    pub multipart: bool,
}

/// `Err((code, message))` with NXCloud's auth codes.
pub fn check(h: &HeaderMap, body: &[u8], e: &Expect) -> Result<(), (i64, String)> {
    let get = |n: &str| header(h, n).filter(|v| !v.is_empty());
    let (Some(ak), Some(ts), Some(biz), Some(action), Some(received)) = (
        get("accessKey"),
        get("ts"),
        get("bizType"),
        get("action"),
        get("sign"),
    ) else {
        return Err((
            1001,
            "missing parameters: accessKey, ts, bizType, action and sign are required".into(),
        ));
    };
    if ak != e.access_key {
        return Err((1005, "insufficient permissions: unknown accessKey".into()));
    }
    if biz != "2" || !e.actions.contains(&action) {
        return Err((
            1002,
            format!("parameter error: bizType {biz:?} / action {action:?}"),
        ));
    }
    let algorithm = match get("algorithm") {
        None => Algorithm::Md5,
        Some(a) => {
            Algorithm::parse(a).ok_or((1002, format!("parameter error: algorithm {a:?}")))?
        }
    };
    let ts_ms: u64 = ts
        .parse()
        .map_err(|_| (1004, "timestamp expired: ts is not milliseconds".to_owned()))?;
    if ts_ms.abs_diff(e.now_millis) > 60_000 {
        return Err((1004, "timestamp expired".into()));
    }
    let expected = sign(&SignInput {
        access_key: ak,
        access_secret: e.access_secret,
        ts,
        biz_type: biz,
        action,
        body: (!e.multipart).then_some(body),
        algorithm,
    });
    if !signature_matches(&expected.sign, received) {
        return Err((1003, "invalid signature".into()));
    }
    Ok(())
}
