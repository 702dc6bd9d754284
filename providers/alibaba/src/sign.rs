//! Alibaba Cloud request signatures, as pure functions that also return their intermediate
//! strings (spec/alibaba.md §3, §4):
//!
//! * V3, `ACS3-HMAC-SHA256`: canonical request → SHA-256 → HMAC-SHA256 with the secret.
//! * The legacy RPC signature (wire `SignatureVersion=1.0`, HMAC-SHA1): sorted parameters,
//!   percent-encoded twice, HMAC-SHA1 with `secret + "&"`, Base64.

use std::borrow::Cow;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::encode::{pct, Pair};

/// The V3 algorithm's name, as the `Authorization` header starts.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Everything a V3 signature covers.
#[derive(Clone, Copy, Debug)]
pub struct V3Input<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// Decoded query parameters.
    pub query: &'a [Pair<'a>],
    /// Request headers (any case).
    pub headers: &'a [Pair<'a>],
    /// The body bytes, as sent.
    pub body: &'a [u8],
    /// The body's hex SHA-256 when the caller already has it (it sends it as
    /// `x-acs-content-sha256`); `None` computes it from `body`.
    pub hashed_payload: Option<&'a str>,
    /// The AccessKey id.
    pub access_key_id: &'a str,
    /// The AccessKey secret.
    pub access_key_secret: &'a str,
    /// The headers to sign; by default `host`, `content-type` (with a body) and every `x-acs-*`.
    pub signed_headers: Option<&'a [&'a str]>,
}

/// A V3 signature, with every intermediate string (to compare with the SDK's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V3Signature {
    /// The canonical query string.
    pub canonical_query: String,
    /// The canonical headers.
    pub canonical_headers: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// The body's hex SHA-256.
    pub hashed_payload: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string signed.
    pub string_to_sign: String,
    /// The hex HMAC-SHA256 signature.
    pub signature: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// Hex SHA-256 of a body: the `x-acs-content-sha256` header and the canonical request's last line.
pub fn payload_hash(body: &[u8]) -> Cow<'static, str> {
    /// SHA-256 of nothing: every request without a body (all but Create/Modify) has it.
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    if body.is_empty() {
        return Cow::Borrowed(EMPTY);
    }
    Cow::Owned(hex::encode(Sha256::digest(body)))
}

/// Query parameters sorted by key (then value), `pct(k)=pct(v)` joined by `&`.
pub fn canonical_query<'a, 'b: 'a>(query: impl IntoIterator<Item = &'a Pair<'b>>) -> String {
    let mut q: Vec<&Pair> = query.into_iter().collect();
    q.sort();
    crate::encode::pct_pairs(q.iter().copied())
}

/// A header name in lower case, copied only when it is not already.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn signed_names<'a>(i: &V3Input<'a>) -> Vec<Cow<'a, str>> {
    let mut names: Vec<Cow<'a, str>> = match i.signed_headers {
        Some(list) => list.iter().map(|s| lower(s)).collect(),
        None => {
            let has_body = !i.body.is_empty();
            i.headers
                .iter()
                .map(|(k, _)| lower(k))
                .filter(|k| {
                    k == "host" || k.starts_with("x-acs-") || (has_body && k == "content-type")
                })
                .collect()
        }
    };
    names.sort_unstable();
    names.dedup();
    names
}

// Built with `push_str` into sized strings rather than `format!`: this runs on every attempt of
// every request.
/// Sign a request with ACS3-HMAC-SHA256 (a pure function, checked against the SDK's vectors).
pub fn sign_v3(i: &V3Input) -> V3Signature {
    let names = signed_names(i);
    let mut canonical_headers = String::with_capacity(64 * names.len());
    let mut values: Vec<&str> = Vec::with_capacity(2);
    for name in &names {
        values.clear();
        values.extend(
            i.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim()),
        );
        values.sort_unstable();
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        for (n, v) in values.iter().enumerate() {
            if n > 0 {
                canonical_headers.push(',');
            }
            canonical_headers.push_str(v);
        }
        canonical_headers.push('\n');
    }
    let signed_headers = names.join(";");
    let hashed_payload = match i.hashed_payload {
        Some(h) => h.to_owned(),
        None => payload_hash(i.body).into_owned(),
    };
    let canonical_query = canonical_query(i.query);
    let mut canonical_request = String::with_capacity(
        i.method.len()
            + canonical_query.len()
            + canonical_headers.len()
            + signed_headers.len()
            + hashed_payload.len()
            + 8,
    );
    for (n, part) in [
        i.method,
        "/",
        &canonical_query,
        &canonical_headers,
        &signed_headers,
        &hashed_payload,
    ]
    .into_iter()
    .enumerate()
    {
        if n > 0 {
            canonical_request.push('\n');
        }
        canonical_request.push_str(part);
    }
    let mut string_to_sign = String::with_capacity(V3_ALGORITHM.len() + 65);
    string_to_sign.push_str(V3_ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(
        hex::Buffer::<32>::new().format(&Sha256::digest(canonical_request.as_bytes()).into()),
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(i.access_key_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let mut authorization = String::with_capacity(
        V3_ALGORITHM.len() + i.access_key_id.len() + signed_headers.len() + signature.len() + 40,
    );
    for part in [
        V3_ALGORITHM,
        " Credential=",
        i.access_key_id,
        ",SignedHeaders=",
        &signed_headers,
        ",Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
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

/// A V1 signature, with its intermediate strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V1Signature {
    /// The canonicalized query.
    pub canonicalized_query: String,
    /// The string signed.
    pub string_to_sign: String,
    /// Base64, as it goes into the `Signature` parameter (before URL-encoding).
    pub signature: String,
}

/// The legacy RPC signature over every parameter (query and form body alike), `Signature`
/// itself excluded.
pub fn sign_v1(method: &str, params: &[Pair], access_key_secret: &str) -> V1Signature {
    let canonicalized_query = canonical_query(params.iter().filter(|(k, _)| k != "Signature"));
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
