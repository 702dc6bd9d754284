//! wabakit's Alibaba Cloud ChatApp (cams) provider: ACS3 and HMAC-SHA1 signers, RPC encoding,
//! the mapping from the neutral model, the client, and (feature `fake`) a fake cams server.

pub mod client;
pub mod config;
pub mod detail;
pub mod encode;
#[cfg(feature = "fake")]
pub mod fake;
pub mod mapping;
pub mod overlay;
pub mod receipts;
pub mod response;
pub mod sign;

pub use client::{Action, AlibabaProvider};
pub use config::{AlibabaConfig, Placement, SignatureVersion};
pub use encode::Pair;
pub use sign::{sign_v1, sign_v3, V1Signature, V3Input, V3Signature};
