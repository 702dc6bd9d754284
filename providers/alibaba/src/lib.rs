#![warn(missing_docs)]
//! wabakit's Alibaba Cloud ChatApp (cams) provider: ACS3 and HMAC-SHA1 signers, RPC encoding,
//! the mapping from the neutral model, the client, receipt parsing, and (feature `fake`) a fake
//! cams server. See `providers/README.md` for the skeleton every provider shares.

pub mod callbacks;
pub mod client;
pub mod config;
pub mod detail;
pub mod encode;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod ops;
pub mod overlay;
pub mod request;
pub mod response;
pub mod sign;

use wabakit_core::raw::{built, Registration};

pub use client::AlibabaProvider;
pub use config::{AlibabaConfig, Placement, SignatureVersion};
pub use encode::Pair;
pub use ops::Action;
pub use request::Prepared;
pub use sign::{sign_v1, sign_v3, V1Signature, V3Input, V3Signature};

/// The registry name: `provider = "alibaba"` in a profile.
pub const NAME: &str = "alibaba";

/// This provider in the registry.
pub const REGISTRATION: Registration = Registration {
    name: NAME,
    title: "Alibaba Cloud ChatApp (cams)",
    own_operations: ops::OWN_OPERATIONS,
    build: |r| {
        let cfg = AlibabaConfig::from_profile(r)?;
        let (clock, nonces) = (r.clock(), r.nonces());
        built(
            r,
            AlibabaProvider::new(cfg).map(|p| p.with_clock(clock).with_nonces(nonces)),
        )
    },
    callbacks: callbacks::registered,
    #[cfg(feature = "fake")]
    sandbox: Some(fake::start_sandbox),
    #[cfg(not(feature = "fake"))]
    sandbox: None,
};
