//! Alibaba Cloud request signatures, as pure functions that also return their intermediate
//! strings (spec/alibaba.md §3, §4):
//!
//! * V3, `ACS3-HMAC-SHA256`: canonical request → SHA-256 → HMAC-SHA256 with the secret.
//! * The legacy RPC signature (wire `SignatureVersion=1.0`, HMAC-SHA1): sorted parameters,
//!   percent-encoded twice, HMAC-SHA1 with `secret + "&"`, Base64.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::encode::pct;

pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Everything a V3 signature covers.
#[derive(Clone, Copy, Debug)]
pub struct V3Input<'a> {
    pub method: &'a str,
    /// Decoded query parameters.
    pub query: &'a [(String, String)],
    /// Request headers (any case).
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    /// The headers to sign; by default `host`, `content-type` (with a body) and every `x-acs-*`.
    pub signed_headers: Option<&'a [&'a str]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3Signature {
    pub canonical_query: String,
    pub canonical_headers: String,
    pub signed_headers: String,
    pub hashed_payload: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub authorization: String,
}

/// Hex SHA-256 of a body: the `x-acs-content-sha256` header and the canonical request's last line.
pub fn payload_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// Query parameters sorted by key (then value), `pct(k)=pct(v)` joined by `&`.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut q: Vec<&(String, String)> = query.iter().collect();
    q.sort();
    crate::encode::pct_pairs(q)
}

fn default_signed(headers: &[(String, String)], has_body: bool) -> Vec<String> {
    let mut names: Vec<String> = headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .filter(|k| k == "host" || k.starts_with("x-acs-") || (has_body && k == "content-type"))
        .collect();
    names.sort();
    names.dedup();
    names
}

pub fn sign_v3(i: &V3Input) -> V3Signature {
    let names: Vec<String> = match i.signed_headers {
        Some(list) => {
            let mut v: Vec<String> = list.iter().map(|s| s.to_ascii_lowercase()).collect();
            v.sort();
            v.dedup();
            v
        }
        None => default_signed(i.headers, !i.body.is_empty()),
    };
    let mut canonical_headers = String::new();
    for name in &names {
        let mut values: Vec<&str> = i
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        values.sort_unstable();
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&values.join(","));
        canonical_headers.push('\n');
    }
    let signed_headers = names.join(";");
    let hashed_payload = payload_hash(i.body);
    let canonical_query = canonical_query(i.query);
    let canonical_request = format!(
        "{}\n/\n{}\n{}\n{}\n{}",
        i.method, canonical_query, canonical_headers, signed_headers, hashed_payload
    );
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(i.access_key_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization = format!(
        "{V3_ALGORITHM} Credential={},SignedHeaders={signed_headers},Signature={signature}",
        i.access_key_id
    );
    V3Signature {
        canonical_query,
        canonical_headers,
        signed_headers,
        hashed_payload,
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V1Signature {
    pub canonicalized_query: String,
    pub string_to_sign: String,
    /// Base64, as it goes into the `Signature` parameter (before URL-encoding).
    pub signature: String,
}

/// The legacy RPC signature over every parameter (query and form body alike), `Signature`
/// itself excluded.
pub fn sign_v1(method: &str, params: &[(String, String)], access_key_secret: &str) -> V1Signature {
    let kept: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let canonicalized_query = canonical_query(&kept);
    let string_to_sign = format!("{method}&{}&{}", pct("/"), pct(&canonicalized_query));
    let key = format!("{access_key_secret}&");
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    V1Signature {
        canonicalized_query,
        string_to_sign,
        signature,
    }
}

/// Constant-time comparison of two signatures.
pub fn signature_matches(expected: &str, received: &str) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == received.len() && bool::from(expected.as_bytes().ct_eq(received.as_bytes()))
}
