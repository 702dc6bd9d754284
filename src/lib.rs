#![warn(missing_docs)]
//! # wabakit
//!
//! One provider-neutral API for WhatsApp Business message templates and template messages.
//!
//! The facade re-exports the core (the neutral [`Template`] and [`TemplateMessage`] documents,
//! their validation, the [`Provider`] trait, the error type, the in-memory provider), keeps the
//! [`registry`] of compiled-in providers (each a crate of its own, behind a feature), and builds
//! a [`Client`] from a config profile: switching provider is a change of profile.
//!
//! ```
//! use wabakit::{Template, Provider, MemoryProvider};
//!
//! let t = Template::from_json(r#"{
//!   "name": "order_update", "language": "en_US", "category": "UTILITY",
//!   "components": [{"type": "BODY", "text": "Hi {{1}}, your order ships today.",
//!                   "example": {"body_text": [["Ana"]]}}]
//! }"#).unwrap();
//! assert!(t.validate().is_empty());
//! # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! # rt.block_on(async {
//! let provider = MemoryProvider::new();
//! let created = provider.create_template(&t).await.unwrap();
//! assert_eq!(created.name, "order_update");
//! # });
//! ```

pub mod bulk;
pub mod campaign;
pub mod client;
pub mod config;
pub mod receiver;
pub mod recording;
pub mod registry;
pub mod rows;

/// The message store ([`wabakit_store`]): every send and callback event, each message's fate.
pub mod store {
    pub use wabakit_store::*;
}

pub use bulk::{Outcomes, SendOutcome};
pub use client::Client;
pub use config::{Env, ProcessEnv};
pub use wabakit_core::*;

/// Each compiled-in provider: its crate re-exported under its registry name, and its
/// registration in [`PROVIDERS`]. A provider is added by one line here (and its feature).
macro_rules! providers {
    ($($feature:literal => $module:ident = $krate:ident),* $(,)?) => {
        $(
            #[cfg(feature = $feature)]
            pub use $krate as $module;
        )*

        /// Every compiled-in provider, then the in-memory one.
        pub const PROVIDERS: &[wabakit_core::raw::Registration] = &[
            $(
                #[cfg(feature = $feature)]
                $krate::REGISTRATION,
            )*
            wabakit_core::memory::REGISTRATION,
        ];
    };
}

providers! {
    "nxcloud" => nxcloud = wabakit_nxcloud,
    "alibaba" => alibaba = wabakit_alibaba,
    "meta" => meta = wabakit_meta,
}

/// The README's Rust snippets, compiled and run as doctests (`cargo test --doc`): the README
/// cannot show code that does not work.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
