#![warn(missing_docs)]
//! wabakit's provider for Meta's WhatsApp Cloud API (the Graph API): the request and webhook
//! signatures, the mapping from the neutral model, the client, webhook parsing and
//! verification, and (feature `fake`) a fake Graph server. See `providers/README.md` for the
//! skeleton every provider shares.

pub mod callbacks;
pub mod client;
pub mod config;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod ops;
pub mod overlay;
pub mod pair;
pub mod request;
pub mod response;
pub mod sign;

use wabakit_core::raw::{built, Registration};

pub use client::MetaProvider;
pub use config::{MetaConfig, Proof};
pub use ops::Op;
pub use request::Prepared;

/// The registry name: `provider = "meta"` in a profile.
pub const NAME: &str = "meta";

/// This provider in the registry.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    title: "Meta WhatsApp Cloud API",
    own_operations: ops::OWN_OPERATIONS,
    build: |r| {
        let cfg = MetaConfig::from_profile(r)?;
        let clock = r.clock();
        built(r, MetaProvider::new(cfg).map(|p| p.with_clock(clock)))
    },
    callbacks: callbacks::registered,
    #[cfg(feature = "fake")]
    sandbox: Some(fake::start_sandbox),
    #[cfg(not(feature = "fake"))]
    sandbox: None,
};
