//! # wabakit
//!
//! One provider-neutral API for WhatsApp Business message templates and template messages.
//!
//! Today the facade re-exports the core (the neutral [`Template`] and [`TemplateMessage`]
//! documents, their validation, the [`Provider`] trait, the error type, the in-memory
//! provider) and, with the default features, the providers as [`nxcloud`] and [`alibaba`].
//! Config profiles and the `Client` build on these.
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
pub mod client;
pub mod config;
mod profile;

pub use bulk::SendOutcome;
pub use client::Client;
pub use config::{Env, ProcessEnv};
pub use profile::PROVIDERS;
pub use wabakit_core::*;

/// The NXCloud (牛信云) provider.
#[cfg(feature = "nxcloud")]
pub use wabakit_nxcloud as nxcloud;

/// The Alibaba Cloud ChatApp (cams) provider.
#[cfg(feature = "alibaba")]
pub use wabakit_alibaba as alibaba;
