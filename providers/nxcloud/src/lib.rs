#![warn(missing_docs)]
//! wabakit's NXCloud (牛信云) provider: the signer, NXCloud's wire bodies and their mapping
//! from the neutral model, the client, webhook parsing and verification, and (feature `fake`)
//! a fake NXCloud server. See `providers/README.md` for the skeleton every provider shares.

pub mod callbacks;
pub mod client;
pub mod config;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod ops;
pub mod overlay;
pub mod request;
pub mod response;
pub mod sign;
pub mod wire;

use wabakit_core::raw::{built, Registration};

pub use client::NxcloudProvider;
pub use config::{EndpointOverride, NxcloudConfig};
pub use ops::Op;
pub use sign::{sign, Algorithm, SignInput, Signature};

/// The registry name: `provider = "nxcloud"` in a profile.
pub const NAME: &str = "nxcloud";

/// This provider in the registry.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    title: "NXCloud (牛信云)",
    own_operations: ops::OWN_OPERATIONS,
    build: |r| {
        let cfg = NxcloudConfig::from_profile(r)?;
        let clock = r.clock();
        built(r, NxcloudProvider::new(cfg).map(|p| p.with_clock(clock)))
    },
    callbacks: callbacks::registered,
    #[cfg(feature = "fake")]
    sandbox: Some(fake::start_sandbox),
    #[cfg(not(feature = "fake"))]
    sandbox: None,
};
