//! Secrets: kept as given, never shown by `Debug`, `Display` or `Serialize`.

use std::fmt;

/// A secret (a key, a token): `Debug` and `Display` show `***`, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Keep `s` as a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself, for signing. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// No secret given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("***")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

/// An access key's id (NXCloud `accessKey`, Alibaba `AccessKeyId`): not a secret by itself,
/// but it names the account and signs every request, so `Debug` shows only its first four
/// characters and it has no `Display`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeyId(String);

impl KeyId {
    /// The id itself, for signing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for KeyId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.0.chars().take(4).collect();
        write!(f, "KeyId({shown:?}…)")
    }
}

impl<S: Into<String>> From<S> for KeyId {
    fn from(s: S) -> Self {
        KeyId(s.into())
    }
}
