//! NXCloud request signing (spec/nxcloud.md §2): a plain digest of a fixed string, not an HMAC.
//!
//! ```text
//! accessKey=<ak>&action=<action>&bizType=<biz>&ts=<ms>[&body=<raw body>]&accessSecret=<secret>
//! ```
//! The body part is present only for a non-empty JSON body, byte for byte as sent; multipart
//! and body-less requests never have it.

use std::fmt;

use md5::Md5;
use sha2::{Digest, Sha256};

/// The digest the `algorithm` header selects; MD5 when the header is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// MD5 (the default).
    #[default]
    Md5,
    /// SHA-256 (sent with an `algorithm` header).
    Sha256,
}

impl Algorithm {
    /// The `algorithm` header's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha256 => "sha256",
        }
    }

    /// The algorithm a name (`md5`, `sha256`) names.
    pub fn parse(s: &str) -> Option<Algorithm> {
        match s.to_ascii_lowercase().as_str() {
            "md5" => Some(Algorithm::Md5),
            "sha256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }
}

/// Everything that goes into one signature.
#[derive(Clone, Copy)]
pub struct SignInput<'a> {
    /// The `accessKey` header.
    pub access_key: &'a str,
    /// The secret.
    pub access_secret: &'a str,
    /// Milliseconds since the Unix epoch, as sent in the `ts` header.
    pub ts: &'a str,
    /// The `bizType` header.
    pub biz_type: &'a str,
    /// The `action` header.
    pub action: &'a str,
    /// The JSON body exactly as sent; `None` for multipart and body-less requests.
    pub body: Option<&'a [u8]>,
    /// MD5 or SHA-256.
    pub algorithm: Algorithm,
}

/// The string that was hashed. It contains the secret: its `Debug` hides it, and it is only
/// for tests and debugging a signature mismatch.
pub struct StringToSign(Vec<u8>);

impl StringToSign {
    /// The bytes hashed (they contain the secret: never log them).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "StringToSign({} bytes, contains the secret)",
            self.0.len()
        )
    }
}

/// An NXCloud signature.
#[derive(Debug)]
pub struct Signature {
    /// Lower-case hex digest, the `sign` header.
    pub sign: String,
    /// The string that was hashed.
    pub string_to_sign: StringToSign,
}

/// Sign one request.
pub fn sign(input: &SignInput) -> Signature {
    let body = input.body.filter(|b| !b.is_empty());
    let mut s = Vec::with_capacity(96 + body.map_or(0, <[u8]>::len) + input.access_secret.len());
    for (i, (k, v)) in [
        ("accessKey", input.access_key),
        ("action", input.action),
        ("bizType", input.biz_type),
        ("ts", input.ts),
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            s.push(b'&');
        }
        s.extend_from_slice(k.as_bytes());
        s.push(b'=');
        s.extend_from_slice(v.as_bytes());
    }
    if let Some(b) = body {
        s.extend_from_slice(b"&body=");
        s.extend_from_slice(b);
    }
    s.extend_from_slice(b"&accessSecret=");
    s.extend_from_slice(input.access_secret.as_bytes());
    let sign = match input.algorithm {
        Algorithm::Md5 => hex::encode(Md5::digest(&s)),
        Algorithm::Sha256 => hex::encode(Sha256::digest(&s)),
    };
    Signature {
        sign,
        string_to_sign: StringToSign(s),
    }
}

/// Compare a received signature with the expected one in constant time.
pub fn signature_matches(expected: &str, received: &str) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == received.len() && bool::from(expected.as_bytes().ct_eq(received.as_bytes()))
}
