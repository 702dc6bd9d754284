//! The fake's request check, as the Graph API does it: the token (`Authorization: Bearer`, or
//! `OAuth` on an upload), and with "Require App Secret" on, an `appsecret_proof` of that token,
//! timed (with `appsecret_time` within five minutes) or plain.

use axum::http::HeaderMap;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use crate::sign::{appsecret_proof, appsecret_proof_at};

/// What a request must carry.
pub struct Expect<'a> {
    pub access_token: &'a str,
    pub app_secret: Option<&'a str>,
    pub now_secs: u64,
}

/// A refusal: HTTP status and Graph error object.
pub type Refusal = (u16, Value);

fn oauth(status: u16, code: i64, message: &str) -> Refusal {
    (
        status,
        json!({"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AfakeTraceAuth"}),
    )
}

fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The query's value of `key` (the fake's own requests need no decoding beyond this).
pub fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

pub fn check(h: &HeaderMap, query: &str, e: &Expect) -> Result<(), Refusal> {
    let auth = h
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("OAuth "));
    match token {
        None => {
            return Err(oauth(
                401,
                190,
                "An access token is required to request this resource.",
            ))
        }
        Some(t) if !same(t, e.access_token) => {
            return Err(oauth(
                401,
                190,
                "Invalid OAuth access token - Cannot parse access token",
            ))
        }
        Some(_) => {}
    }
    let Some(secret) = e.app_secret else {
        return Ok(());
    };
    let Some(proof) = query_value(query, "appsecret_proof") else {
        return Err(oauth(
            400,
            100,
            "API calls from the server require an appsecret_proof argument",
        ));
    };
    let expected = match query_value(query, "appsecret_time") {
        Some(t) => {
            let secs: u64 = t.parse().map_err(|_| {
                oauth(
                    400,
                    100,
                    "Invalid appsecret_time provided in the API argument",
                )
            })?;
            // The timed proof lives five minutes.
            if secs.abs_diff(e.now_secs) > 300 {
                return Err(oauth(400, 100, "appsecret_time has expired"));
            }
            appsecret_proof_at(secret, e.access_token, secs)
        }
        None => appsecret_proof(secret, e.access_token),
    };
    if !same(proof, &expected) {
        return Err(oauth(
            400,
            100,
            "Invalid appsecret_proof provided in the API argument",
        ));
    }
    Ok(())
}
