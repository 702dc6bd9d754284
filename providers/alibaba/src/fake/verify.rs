//! The fake's gateway checks, from the raw request: V3 (`Authorization`) or the legacy RPC
//! signature (`Signature` parameter), the 15-minute date window, single-use nonces.

use std::collections::HashSet;

use axum::http::HeaderMap;

use crate::encode::{parse_pairs, Pair};
use crate::ops::Action;
use crate::sign::{payload_hash, sign_v1, sign_v3, signature_matches, V3Input};

pub struct Gateway<'a> {
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    pub security_token: Option<&'a str>,
    pub now_millis: u64,
}

pub struct Verified {
    pub action: Action,
    /// The API parameters (query and form body, signature parameters removed).
    pub params: Vec<(String, String)>,
    pub nonce: String,
    pub date: String,
    pub signature: String,
}

/// `Err((http status, Code, Message))`.
pub type Refusal = (u16, &'static str, String);

const WINDOW_MS: u64 = 15 * 60 * 1000;

const RPC_COMMON: [&str; 9] = [
    "Action",
    "Format",
    "Version",
    "Timestamp",
    "SignatureNonce",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "SecurityToken",
];

fn owned(pairs: Vec<Pair>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn within_window(date: &str, now: u64) -> bool {
    humantime::parse_rfc3339(date)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .is_some_and(|d| (d.as_millis() as u64).abs_diff(now) <= WINDOW_MS)
}

pub fn check(
    headers: &HeaderMap,
    raw_query: &str,
    body: &[u8],
    g: &Gateway,
    used_nonces: &mut HashSet<String>,
) -> Result<Verified, Refusal> {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let query = parse_pairs(raw_query);
    let form = match h("content-type") {
        Some(c) if c.starts_with("application/x-www-form-urlencoded") => {
            parse_pairs(&String::from_utf8_lossy(body))
        }
        _ => Vec::new(),
    };
    let refuse = |status: u16, code: &'static str, msg: &str| Err((status, code, msg.to_owned()));
    let v = if let Some(auth) = h("authorization") {
        let rest = auth.strip_prefix("ACS3-HMAC-SHA256 ").ok_or((
            400,
            "IncompleteSignature",
            "unknown signature algorithm".to_owned(),
        ))?;
        let part = |k: &str| rest.split(',').find_map(|p| p.trim().strip_prefix(k));
        let (Some(ak), Some(signed), Some(sig)) = (
            part("Credential="),
            part("SignedHeaders="),
            part("Signature="),
        ) else {
            return refuse(
                400,
                "IncompleteSignature",
                "the Authorization header is incomplete",
            );
        };
        if ak != g.access_key_id {
            return refuse(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        }
        let date = h("x-acs-date").unwrap_or_default().to_owned();
        if !within_window(&date, g.now_millis) {
            return refuse(
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            );
        }
        if h("x-acs-content-sha256") != Some(&payload_hash(body)) {
            return refuse(
                400,
                "SignatureDoesNotMatch",
                "the x-acs-content-sha256 header does not match the body",
            );
        }
        let pairs: Vec<Pair> = headers
            .iter()
            .map(|(k, v)| (k.as_str().into(), v.to_str().unwrap_or_default().into()))
            .collect();
        let signed: Vec<&str> = signed.split(';').collect();
        let expected = sign_v3(&V3Input {
            method: "POST",
            query: &query,
            headers: &pairs,
            body,
            // The server hashes the body itself: a header that lies about it fails.
            hashed_payload: None,
            access_key_id: ak,
            access_key_secret: g.access_key_secret,
            signed_headers: Some(&signed),
        });
        if !signature_matches(&expected.signature, sig) {
            return refuse(
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation.",
            );
        }
        if let Some(t) = g.security_token {
            if h("x-acs-security-token") != Some(t) {
                return refuse(
                    400,
                    "InvalidSecurityToken.Mismatch",
                    "Specified security token is not valid.",
                );
            }
        }
        let action = h("x-acs-action").unwrap_or_default();
        let mut params = query;
        params.extend(form);
        Verified {
            action: Action::from_name(action).ok_or((
                400,
                "InvalidAction.NotFound",
                format!("unknown action {action:?}"),
            ))?,
            params: owned(params),
            nonce: h("x-acs-signature-nonce").unwrap_or_default().to_owned(),
            date,
            signature: sig.to_owned(),
        }
    } else {
        let mut all = query;
        all.extend(form);
        let get = |k: &str| all.iter().find(|(n, _)| n == k).map(|(_, v)| v.to_string());
        let Some(sig) = get("Signature") else {
            return refuse(400, "IncompleteSignature", "the request is not signed");
        };
        if get("AccessKeyId").as_deref() != Some(g.access_key_id) {
            return refuse(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            );
        }
        let date = get("Timestamp").unwrap_or_default();
        if !within_window(&date, g.now_millis) {
            return refuse(
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            );
        }
        let expected = sign_v1("POST", &all, g.access_key_secret);
        if !signature_matches(&expected.signature, &sig) {
            return refuse(
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation.",
            );
        }
        if let Some(t) = g.security_token {
            if get("SecurityToken").as_deref() != Some(t) {
                return refuse(
                    400,
                    "InvalidSecurityToken.Mismatch",
                    "Specified security token is not valid.",
                );
            }
        }
        let action = get("Action").unwrap_or_default();
        Verified {
            action: Action::from_name(&action).ok_or((
                400,
                "InvalidAction.NotFound",
                format!("unknown action {action:?}"),
            ))?,
            params: owned(
                all.iter()
                    .filter(|(k, _)| k != "Signature" && !RPC_COMMON.contains(&k.as_ref()))
                    .cloned()
                    .collect(),
            ),
            nonce: get("SignatureNonce").unwrap_or_default(),
            date,
            signature: sig,
        }
    };
    if v.nonce.is_empty() {
        return refuse(400, "MissingParameter", "the signature nonce is missing");
    }
    // Only a correctly signed request uses its nonce up.
    if !used_nonces.insert(v.nonce.clone()) {
        return refuse(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        );
    }
    Ok(v)
}
