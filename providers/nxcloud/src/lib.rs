//! wabakit's NXCloud (牛信云) provider.

pub mod sign;

pub use sign::{sign, Algorithm, SignInput, Signature};
