//! wabakit's Alibaba Cloud ChatApp (cams) provider.

pub mod encode;
pub mod sign;

pub use sign::{sign_v1, sign_v3, V1Signature, V3Input, V3Signature};
