//! Configuration profiles (ARCHITECTURE §7): one TOML file with named profiles; secrets inline
//! or from the environment (`{ env = "NAME" }`). Every mistake names its key and its profile,
//! and no secret ever appears in a message.

use std::path::Path;

use serde_json::Value;
pub use wabakit_core::parse::profile::{Env, ProcessEnv};
use wabakit_core::{Error, Result};

/// The profiles of a config file, which one is the default, and the message store. Its `Debug`
/// names each profile's provider and keys, never a value (inline secrets are values), and the
/// store without its password.
pub struct ConfigFile {
    /// The `default_profile` key, if set.
    pub default_profile: Option<String>,
    /// Each `[profiles.NAME]` table, by name.
    pub profiles: serde_json::Map<String, Value>,
    /// The `[store]` table's `url`, when the file has one (`sqlite://wabakit.db` if the table
    /// names none): every send of a client from this file is recorded there.
    pub store: Option<String>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Keys<'a>(&'a Value);
        impl std::fmt::Debug for Keys<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct("Profile");
                if let Some(p) = self.0.get("provider").and_then(Value::as_str) {
                    d.field("provider", &p);
                }
                let keys: Vec<&str> = self.0.as_object().map_or(Vec::new(), |o| {
                    o.keys()
                        .map(String::as_str)
                        .filter(|k| *k != "provider")
                        .collect()
                });
                d.field("keys", &keys).finish()
            }
        }
        let profiles: std::collections::BTreeMap<&str, Keys> = self
            .profiles
            .iter()
            .map(|(k, v)| (k.as_str(), Keys(v)))
            .collect();
        let store = self
            .store
            .as_deref()
            .map(|u| match crate::store::StoreUrl::parse(u) {
                Ok(u) => u.to_string(),
                Err(_) => "(not a store URL)".to_owned(),
            });
        f.debug_struct("ConfigFile")
            .field("default_profile", &self.default_profile)
            .field("profiles", &profiles)
            .field("store", &store)
            .finish()
    }
}

impl ConfigFile {
    /// Read a config file's text (`origin` names it in errors).
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        Self::parse_with(text, origin, &ProcessEnv)
    }

    /// [`ConfigFile::parse`], with `{ env = "NAME" }` looked up in `env`.
    pub fn parse_with(text: &str, origin: &str, env: &dyn Env) -> Result<Self> {
        let v: Value = toml::from_str(text)
            .map_err(|e| Error::config(format!("{origin}: {}", e.message())))?;
        let Value::Object(top) = v else {
            unreachable!("a TOML document is a table")
        };
        let mut default_profile = None;
        let mut profiles = serde_json::Map::new();
        let mut store = None;
        for (k, v) in top {
            match (k.as_str(), v) {
                ("default_profile", Value::String(s)) => default_profile = Some(s),
                ("profiles", Value::Object(m)) => profiles = m,
                ("store", Value::Object(m)) => store = Some(store_url(&m, origin, env)?),
                ("default_profile" | "profiles" | "store", _) => return Err(Error::config(format!("{origin}: `{k}` has the wrong type"))),
                (other, _) => {
                    return Err(Error::config(format!(
                        "{origin}: unknown key `{other}` (expected default_profile, [store] and [profiles.NAME] tables)"
                    )))
                }
            }
        }
        Ok(ConfigFile {
            default_profile,
            profiles,
            store,
        })
    }

    /// Read a config file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(format!("{}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The profile `name`, else the default profile, else the only one.
    pub fn profile(&self, name: Option<&str>) -> Result<(String, &Value)> {
        let chosen = match (name, &self.default_profile) {
            (Some(n), _) => n.to_owned(),
            (None, Some(d)) => d.clone(),
            (None, None) if self.profiles.len() == 1 => {
                self.profiles.keys().next().cloned().unwrap_or_default()
            }
            (None, None) => {
                return Err(Error::config(
                    "no profile named, and no default_profile set",
                ))
            }
        };
        let v = self.profiles.get(&chosen).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            Error::config(format!(
                "no profile `{chosen}` (profiles: {})",
                known.join(", ")
            ))
        })?;
        Ok((chosen, v))
    }
}

/// `[store]`: its `url` (the embedded default when left out), a string or `{ env = "NAME" }`
/// (a PostgreSQL URL carries a password); nothing else.
fn store_url(m: &serde_json::Map<String, Value>, origin: &str, env: &dyn Env) -> Result<String> {
    let bad = |why: String| Error::config(format!("{origin}: store.url: {why}"));
    let mut url = None;
    for (k, v) in m {
        match (k.as_str(), v) {
            ("url", Value::String(s)) => url = Some(s.clone()),
            ("url", Value::Object(o))
                if o.len() == 1 && o.get("env").is_some_and(Value::is_string) =>
            {
                let var = o["env"].as_str().unwrap_or_default();
                url =
                    Some(env.var(var).filter(|s| !s.is_empty()).ok_or_else(|| {
                        bad(format!("the environment variable {var} is not set"))
                    })?);
            }
            ("url", _) => return Err(bad("expected a string or { env = \"NAME\" }".into())),
            (other, _) => {
                return Err(Error::config(format!(
                    "{origin}: store.{other}: unknown key (the store takes url)"
                )))
            }
        }
    }
    Ok(url.unwrap_or_else(|| wabakit_store::DEFAULT_URL.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "STORE").then(|| "postgres://w:pw@db/wabakit".to_owned())
    }

    fn store(text: &str) -> Result<Option<String>> {
        ConfigFile::parse_with(text, "wabakit.toml", &env).map(|f| f.store)
    }

    #[test]
    fn the_store_url_is_a_string_or_from_the_environment() {
        assert_eq!(store("").unwrap(), None);
        assert_eq!(
            store("[store]").unwrap().as_deref(),
            Some(wabakit_store::DEFAULT_URL)
        );
        assert_eq!(
            store("[store]\nurl = \"sqlite://a.db\"")
                .unwrap()
                .as_deref(),
            Some("sqlite://a.db")
        );
        assert_eq!(
            store("[store]\nurl = { env = \"STORE\" }")
                .unwrap()
                .as_deref(),
            Some("postgres://w:pw@db/wabakit")
        );
        let e = |t: &str| store(t).unwrap_err().to_string();
        assert!(
            e("[store]\nurl = { env = \"NOPE\" }")
                .ends_with("wabakit.toml: store.url: the environment variable NOPE is not set"),
            "{}",
            e("[store]\nurl = { env = \"NOPE\" }")
        );
        assert!(e("[store]\nurl = 5")
            .ends_with("wabakit.toml: store.url: expected a string or { env = \"NAME\" }"));
        assert!(e("[store]\npath = \"x\"")
            .ends_with("wabakit.toml: store.path: unknown key (the store takes url)"));
    }

    #[test]
    fn debug_names_keys_never_values_and_hides_the_store_password() {
        let text = "[store]\nurl = { env = \"STORE\" }\n[profiles.ali]\nprovider = \"alibaba\"\naccess_key_id = \"LTAI-ID-1\"\naccess_key_secret = \"s3cr3t-inline\"\n";
        let f = ConfigFile::parse_with(text, "wabakit.toml", &env).unwrap();
        let shown = format!("{f:?}");
        for secret in ["LTAI-ID-1", "s3cr3t-inline", "pw@"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains(r#"provider: "alibaba", keys: ["access_key_id", "access_key_secret"]"#)
                && shown.contains("postgres://w:***@db/wabakit"),
            "{shown}"
        );
    }
}
