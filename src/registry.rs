//! The registry: the providers this build knows. A profile's `provider` names one; its keys
//! configure it (each provider reads its own, in its own crate). The CLI and the Python
//! package loop over this table; nothing outside a provider's crate needs its name.

use std::sync::Arc;

use serde_json::Value;
use wabakit_core::raw::{Env, ProfileReader, Registration, Sandbox, SandboxOptions};
use wabakit_core::{Error, Provider, Result};

pub use crate::PROVIDERS;

/// The registry names of this build's providers.
pub fn names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|r| r.name).collect()
}

/// The provider registered as `name`; the error lists the names there are.
pub fn find(name: &str) -> Result<&'static Registration> {
    PROVIDERS.iter().find(|r| r.name == name).ok_or_else(|| {
        Error::config(format!(
            "unknown provider {name:?} (this build knows: {})",
            names().join(", ")
        ))
    })
}

/// Every compiled-in provider's sandbox, started (those built with their fake).
pub async fn start_sandboxes(options: SandboxOptions) -> std::io::Result<Vec<Box<dyn Sandbox>>> {
    let mut out = Vec::new();
    for start in PROVIDERS.iter().filter_map(|r| r.sandbox) {
        out.push(start(options.clone()).await?);
    }
    Ok(out)
}

/// Build the provider a profile describes.
pub fn build(profile: &str, v: &Value, env: &dyn Env) -> Result<Arc<dyn Provider>> {
    build_with(ProfileReader::new(profile, v, env)?)
}

/// Build from a profile whose values are all text (environment variables): numbers and
/// booleans are read from their text.
pub fn build_from_text(profile: &str, v: &Value, env: &dyn Env) -> Result<Arc<dyn Provider>> {
    build_with(ProfileReader::new(profile, v, env)?.from_text())
}

/// Build from a reader (one whose clock and nonces a test has pinned, say).
pub fn build_with(mut r: ProfileReader) -> Result<Arc<dyn Provider>> {
    let profile = r.name.clone();
    // The receiver's own key, which every profile may have (`Receiver::from_config` reads it).
    let _ = r.secret("callback_token", false);
    let provider = match r.req_str("provider") {
        Some(name) => match find(&name) {
            Ok(reg) => (reg.build)(&mut r),
            Err(e) => {
                return Err(Error::config(format!(
                    "profile `{profile}`: provider: {}",
                    e.message()
                )))
            }
        },
        None => None,
    };
    r.finish()?;
    provider.ok_or_else(|| Error::config(format!("profile `{profile}` is incomplete")))
}
