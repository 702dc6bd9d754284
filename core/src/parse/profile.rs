//! Reading one profile of a config file (ARCHITECTURE §7): the keys every provider takes (the
//! transport's), each provider's own keys through the same reader, secrets inline or from the
//! environment (`{ env = "NAME" }`). Every mistake names its key and its profile, and no secret
//! ever appears in a message. Each provider crate reads its own keys with this reader.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::clock::{Clock, Nonces, RandomNonces, SystemClock};
use crate::error::{Error, Result};
use crate::parse::reader::{self, kind_of, Obj};
use crate::path::FieldPath;
use crate::problem::Problems;
use crate::secret::Secret;
use crate::transport::TransportConfig;

/// Where `{ env = "NAME" }` values are looked up (the process environment, or a map in tests).
pub trait Env {
    /// The variable's value, if it is set.
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
    /// The profile's name, for its messages.
    pub name: String,
    obj: Obj<'a>,
    /// The problems found so far.
    pub problems: Problems,
    env: &'a dyn Env,
    /// Values are text (from the environment): read numbers and booleans from it.
    text: bool,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn Nonces>,
}

impl<'a> ProfileReader<'a> {
    /// Start reading profile `name`, whose table is `v`, with `{ env = … }` secrets from `env`.
    pub fn new(name: &str, v: &'a Value, env: &'a dyn Env) -> Result<Self> {
        let mut problems = Problems::default();
        let obj = Obj::new(v, FieldPath::root(), &mut problems)
            .ok_or_else(|| Error::config(format!("profile `{name}` is not a table")))?;
        Ok(ProfileReader {
            name: name.to_owned(),
            obj,
            problems,
            env,
            text: false,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(RandomNonces),
        })
    }

    /// Values are all text (environment variables): numbers and booleans are read from it.
    pub fn from_text(mut self) -> Self {
        self.text = true;
        self
    }

    /// The provider built from this profile signs with this clock and these nonces (tests pin
    /// them); by default the system clock and random nonces.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>, nonces: Arc<dyn Nonces>) -> Self {
        self.clock = clock;
        self.nonces = nonces;
        self
    }

    /// The clock the provider is to sign with.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The nonces the provider is to sign with.
    pub fn nonces(&self) -> Arc<dyn Nonces> {
        self.nonces.clone()
    }

    /// The provider's own check of its settings failed (`e` says why): reported at `provider`.
    pub fn invalid(&mut self, e: &Error) {
        self.problems
            .push(&"provider".into(), "config.invalid", e.message().to_owned());
    }

    /// The transport keys every provider takes: timeouts, attempts, `rate_limit`, and the
    /// `[profiles.NAME.qps]` table, whose keys are the neutral operation names and the
    /// provider's `own` operations (its registration's `own_operations`).
    pub fn transport(&mut self, own: &[&str]) -> TransportConfig {
        let operations: Vec<&str> = crate::OperationKind::ALL
            .iter()
            .map(|k| k.name())
            .chain(own.iter().copied())
            .collect();
        let mut t = TransportConfig::default();
        if let Some(s) = self.opt_int("request_timeout_seconds").filter(|s| *s > 0) {
            t.request_timeout = Duration::from_secs(s as u64);
        }
        if let Some(s) = self.opt_int("connect_timeout_seconds").filter(|s| *s > 0) {
            t.connect_timeout = Duration::from_secs(s as u64);
        }
        if let Some(n) = self.opt_int("max_attempts").filter(|n| *n > 0) {
            t.retry.max_attempts = n as u32;
        }
        if let Some(on) = self.opt_bool("rate_limit") {
            t.rate_limit = on;
        }
        // Requests per second by operation, replacing the documented limits.
        if let Some(qps) = self.table("qps", |o, p| qps_table(o, p, &operations)) {
            t.qps = qps;
        }
        t
    }

    /// A value given as text where a number or boolean is wanted.
    fn text_value(&mut self, key: &'static str) -> Option<Option<String>> {
        if !self.text {
            return None;
        }
        Some(self.opt_str(key))
    }

    /// An optional string.
    pub fn opt_str(&mut self, key: &'static str) -> Option<String> {
        self.obj.opt_str(key, &mut self.problems)
    }

    /// A required string (its absence is a problem).
    pub fn req_str(&mut self, key: &'static str) -> Option<String> {
        self.obj.req_str(key, &mut self.problems)
    }

    /// An optional boolean (from text too, for environment profiles).
    pub fn opt_bool(&mut self, key: &'static str) -> Option<bool> {
        match self.text_value(key) {
            None => self.obj.opt_bool(key, &mut self.problems),
            Some(t) => t.and_then(|t| self.parsed(key, &t, t.parse().ok(), "true or false")),
        }
    }

    /// An optional whole number (from text too, for environment profiles).
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
        reader::enum_value(v, &at, &mut self.problems, choices)
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

fn qps_table(o: &mut Obj, p: &mut Problems, operations: &[&str]) -> Vec<(String, u32)> {
    let names: Vec<String> = o.keys().map(str::to_owned).collect();
    names
        .into_iter()
        .filter_map(|k| {
            let at = o.at(&k);
            let v = o.get_any(&k)?;
            if !operations.contains(&k.as_str()) {
                p.push(
                    &at,
                    "config.qps",
                    format!(
                        "unknown operation `{k}` (this provider's operations: {})",
                        operations.join(", ")
                    ),
                );
                return None;
            }
            let n = reader::int(v, &at, p)?;
            if n <= 0 {
                p.push(
                    &at,
                    "config.qps",
                    "a limit is a positive number of requests per second",
                );
                return None;
            }
            Some((k, n as u32))
        })
        .collect()
}
