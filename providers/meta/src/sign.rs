//! Meta's two signatures, pure functions: `appsecret_proof` on requests (HMAC-SHA256 of the
//! access token, keyed by the app secret; plain, or timestamped with `appsecret_time`, spec
//! §1.4) and `X-Hub-Signature-256` on webhook deliveries (HMAC-SHA256 of the raw body, §7.2).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

fn hmac_sha256(key: &str, parts: &[&[u8]]) -> [u8; 32] {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The plain proof: lower-case hex of HMAC-SHA256(app_secret, access_token).
pub fn appsecret_proof(app_secret: &str, access_token: &str) -> String {
    hex::encode(hmac_sha256(app_secret, &[access_token.as_bytes()]))
}

/// The timestamped proof, sent with `appsecret_time=<unix_secs>`: HMAC-SHA256(app_secret,
/// `access_token|unix_secs`). It expires after five minutes, so each request computes its own.
pub fn appsecret_proof_at(app_secret: &str, access_token: &str, unix_secs: u64) -> String {
    let time = unix_secs.to_string();
    hex::encode(hmac_sha256(
        app_secret,
        &[access_token.as_bytes(), b"|", time.as_bytes()],
    ))
}

/// The `X-Hub-Signature-256` value of a body: `sha256=` and 64 lower-case hex digits.
pub fn body_signature(app_secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(hmac_sha256(app_secret, &[body])))
}

/// Whether `header` (an `X-Hub-Signature-256` value) signs `body` with `app_secret`: the
/// `sha256=` prefix, 64 hex digits in either case (Meta sends lower case), compared in constant
/// time over the raw bytes as received.
pub fn signature_matches(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(digest) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let mut received = [0u8; 32];
    if digest.len() != 64 || hex::decode_to_slice(digest, &mut received).is_err() {
        return false;
    }
    bool::from(hmac_sha256(app_secret, &[body]).ct_eq(&received))
}
