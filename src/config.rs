//! Configuration profiles (ARCHITECTURE §7): one TOML file with named profiles; secrets inline
//! or from the environment (`{ env = "NAME" }`). Every mistake names its key and its profile,
//! and no secret ever appears in a message.

use std::path::Path;

use serde_json::Value;
use wabakit_core::parse::reader::{kind_of, Obj};
use wabakit_core::problem::Problems;
use wabakit_core::{Error, Result, Secret};

/// Where `{ env = "NAME" }` values are looked up (the process environment, or a map in tests).
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// One profile being read: its fields, and the problems found so far.
pub struct ProfileReader<'a> {
    pub name: String,
    obj: Obj<'a>,
    pub problems: Problems,
    env: &'a dyn Env,
    /// Values are text (from the environment): read numbers and booleans from it.
    text: bool,
}

impl<'a> ProfileReader<'a> {
    pub fn new(name: &str, v: &'a Value, env: &'a dyn Env) -> Result<Self> {
        let mut problems = Problems::default();
        let obj = Obj::new(v, wabakit_core::Path::root(), &mut problems)
            .ok_or_else(|| Error::config(format!("profile `{name}` is not a table")))?;
        Ok(ProfileReader {
            name: name.to_owned(),
            obj,
            problems,
            env,
            text: false,
        })
    }

    pub fn from_text(mut self) -> Self {
        self.text = true;
        self
    }

    /// A value given as text where a number or boolean is wanted.
    fn text_value(&mut self, key: &'static str) -> Option<Option<String>> {
        if !self.text {
            return None;
        }
        Some(self.opt_str(key))
    }

    pub fn opt_str(&mut self, key: &'static str) -> Option<String> {
        self.obj.opt_str(key, &mut self.problems)
    }

    pub fn req_str(&mut self, key: &'static str) -> Option<String> {
        self.obj.req_str(key, &mut self.problems)
    }

    pub fn opt_bool(&mut self, key: &'static str) -> Option<bool> {
        match self.text_value(key) {
            None => self.obj.opt_bool(key, &mut self.problems),
            Some(t) => t.and_then(|t| self.parsed(key, &t, t.parse().ok(), "true or false")),
        }
    }

    pub fn opt_int(&mut self, key: &'static str) -> Option<i64> {
        match self.text_value(key) {
            None => self.obj.opt_int(key, &mut self.problems),
            Some(t) => {
                t.and_then(|t| self.parsed(key, &t, t.trim().parse().ok(), "a whole number"))
            }
        }
    }

    fn parsed<T>(&mut self, key: &'static str, text: &str, v: Option<T>, want: &str) -> Option<T> {
        if v.is_none() {
            let at = self.obj.at(key);
            self.problems.push(
                &at,
                "config.wrong_type",
                format!("expected {want}, found {text:?}"),
            );
        }
        v
    }

    /// One of `choices` (case-insensitive).
    pub fn opt_choice<T: Copy>(
        &mut self,
        key: &'static str,
        choices: &[(&'static str, T)],
    ) -> Option<T> {
        let at = self.obj.at(key);
        let v = self.obj.get(key)?;
        wabakit_core::parse::reader::enum_value(v, &at, &mut self.problems, choices)
    }

    /// A secret: a string, or `{ env = "NAME" }`.
    pub fn secret(&mut self, key: &'static str, required: bool) -> Option<Secret> {
        let at = self.obj.at(key);
        let v = if required {
            self.obj.req(key, &mut self.problems)
        } else {
            self.obj.get(key)
        }?;
        match v {
            Value::String(s) => Some(Secret::new(s.clone())),
            Value::Object(m) if m.len() == 1 && m.get("env").is_some_and(Value::is_string) => {
                let var = m["env"].as_str().unwrap_or_default();
                match self.env.var(var) {
                    Some(s) if !s.is_empty() => Some(Secret::new(s)),
                    _ => {
                        self.problems.push(
                            &at,
                            "config.env",
                            format!("the environment variable {var} is not set"),
                        );
                        None
                    }
                }
            }
            other => {
                self.problems.push(
                    &at,
                    "config.secret",
                    format!(
                        "expected the secret as a string or as {{ env = \"NAME\" }}, found {}",
                        kind_of(other)
                    ),
                );
                None
            }
        }
    }

    /// A nested table, read by `f` (unknown keys inside it are reported too).
    pub fn table<T>(
        &mut self,
        key: &'static str,
        f: impl FnOnce(&mut Obj, &mut Problems) -> T,
    ) -> Option<T> {
        let at = self.obj.at(key);
        let v = self.obj.get(key)?;
        let mut inner = Obj::new(v, at, &mut self.problems)?;
        let t = f(&mut inner, &mut self.problems);
        inner.finish(&mut self.problems);
        Some(t)
    }

    /// Report unknown keys, then every problem (naming key and profile), or nothing.
    pub fn finish(mut self) -> Result<()> {
        self.obj.finish(&mut self.problems);
        let problems = self.problems.into_vec();
        if problems.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("profile `{}`: {}: {}", self.name, p.path, p.message))
            .collect();
        Err(Error::config(lines.join("; ")))
    }
}

/// The profiles of a config file, and which one is the default.
#[derive(Debug)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    pub profiles: serde_json::Map<String, Value>,
}

impl ConfigFile {
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let v: Value = toml::from_str(text)
            .map_err(|e| Error::config(format!("{origin}: {}", e.message())))?;
        let Value::Object(top) = v else {
            unreachable!("a TOML document is a table")
        };
        let mut default_profile = None;
        let mut profiles = serde_json::Map::new();
        for (k, v) in top {
            match (k.as_str(), v) {
                ("default_profile", Value::String(s)) => default_profile = Some(s),
                ("profiles", Value::Object(m)) => profiles = m,
                ("default_profile" | "profiles", _) => return Err(Error::config(format!("{origin}: `{k}` has the wrong type"))),
                (other, _) => {
                    return Err(Error::config(format!(
                        "{origin}: unknown key `{other}` (expected default_profile and [profiles.NAME] tables)"
                    )))
                }
            }
        }
        Ok(ConfigFile {
            default_profile,
            profiles,
        })
    }

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
