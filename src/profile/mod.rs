//! The registry: a profile's `provider` names the provider; its keys configure it.

#[cfg(feature = "alibaba")]
mod alibaba;
mod memory;
#[cfg(feature = "nxcloud")]
mod nxcloud;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use wabakit_core::{Error, Provider, Result, TransportConfig};

use crate::config::{Env, ProfileReader};

/// The providers this build knows, by registry name.
pub const PROVIDERS: &[&str] = &[
    #[cfg(feature = "nxcloud")]
    "nxcloud",
    #[cfg(feature = "alibaba")]
    "alibaba",
    "memory",
];

/// Build the provider a profile describes.
pub fn build(profile: &str, v: &Value, env: &dyn Env) -> Result<Arc<dyn Provider>> {
    build_with(ProfileReader::new(profile, v, env)?)
}

/// Build from a profile whose values are all text (environment variables): numbers and
/// booleans are read from their text.
pub fn build_from_text(profile: &str, v: &Value, env: &dyn Env) -> Result<Arc<dyn Provider>> {
    build_with(ProfileReader::new(profile, v, env)?.from_text())
}

fn build_with(mut r: ProfileReader) -> Result<Arc<dyn Provider>> {
    let profile = r.name.clone();
    let name = r.req_str("provider");
    let provider: Option<Arc<dyn Provider>> = match name.as_deref() {
        #[cfg(feature = "nxcloud")]
        Some("nxcloud") => nxcloud::build(&mut r).map(|p| Arc::new(p) as Arc<dyn Provider>),
        #[cfg(feature = "alibaba")]
        Some("alibaba") => alibaba::build(&mut r).map(|p| Arc::new(p) as Arc<dyn Provider>),
        Some("memory") => Some(Arc::new(memory::build(&mut r)) as Arc<dyn Provider>),
        Some(other) => {
            return Err(Error::config(format!(
                "profile `{profile}`: provider: unknown provider {other:?} (this build knows: {})",
                PROVIDERS.join(", ")
            )))
        }
        None => None,
    };
    r.finish()?;
    provider.ok_or_else(|| Error::config(format!("profile `{profile}` is incomplete")))
}

/// Transport settings every provider takes.
fn transport(r: &mut ProfileReader) -> TransportConfig {
    let mut t = TransportConfig::default();
    if let Some(s) = r.opt_int("request_timeout_seconds").filter(|s| *s > 0) {
        t.request_timeout = Duration::from_secs(s as u64);
    }
    if let Some(s) = r.opt_int("connect_timeout_seconds").filter(|s| *s > 0) {
        t.connect_timeout = Duration::from_secs(s as u64);
    }
    if let Some(n) = r.opt_int("max_attempts").filter(|n| *n > 0) {
        t.retry.max_attempts = n as u32;
    }
    if let Some(on) = r.opt_bool("rate_limit") {
        t.rate_limit = on;
    }
    // `[profiles.NAME.qps]`: requests per second by operation, replacing the documented limits.
    if let Some(qps) = r.table("qps", |o, p| {
        let names: Vec<String> = o.keys().map(str::to_owned).collect();
        names
            .into_iter()
            .filter_map(|k| {
                let at = o.at(&k);
                let v = o.get_any(&k)?;
                let n = wabakit_core::parse::reader::int(v, &at, p)?;
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
            .collect::<Vec<_>>()
    }) {
        t.qps = qps;
    }
    t
}
