//! wabakit's NXCloud (牛信云) provider: the signer, NXCloud's wire bodies and their mapping
//! from the neutral model, the client, webhook parsing and verification, and (feature `fake`)
//! a fake NXCloud server.

pub mod client;
pub mod config;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod overlay;
pub mod response;
pub mod sign;
pub mod webhook;
pub mod wire;

pub use client::NxcloudProvider;
pub use config::{EndpointOverride, NxcloudConfig, Op};
pub use sign::{sign, Algorithm, SignInput, Signature};
