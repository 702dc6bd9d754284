#![warn(missing_docs)]
//! wabakit-core: the neutral WhatsApp template and message model, its validation, the
//! `Provider` trait every provider implements, the error type, and an in-memory provider.
//!
//! The crate root holds what an application uses. What a provider crate needs besides (the
//! transport, the rate limiter, the known-template cache, the profile reader, the registry) is
//! in [`raw`].

pub mod model;
pub mod parse;
pub mod path;
pub mod placeholder;
pub mod problem;

pub use model::*;
pub use parse::{Format, ReadError};
pub use path::FieldPath;
pub use problem::Problem;
pub mod capabilities;
pub mod types;
pub mod validate;

pub use capabilities::Capabilities;
pub use types::*;
pub use validate::{
    normalize_phone, recipient, rules, validate_message, validate_template, validate_update,
};
pub mod error;
pub mod event;
pub mod known;
pub mod memory;
pub mod provider;
pub mod registry;

pub use error::{Delivery, Error, ErrorKind, Result};
pub use event::{Event, EventBody, MessageStatus};
pub use memory::{MemoryProvider, Review};
pub use provider::{HttpRequest, Operation, OperationKind, OperationRef, Pinned, Provider};
pub mod clock;
pub mod privacy;
pub mod secret;
pub mod transport;

pub use clock::{Clock, FixedClock, FixedNonce, Nonces, OffsetClock, RandomNonces, SystemClock};
pub use secret::{KeyId, Secret};
pub use transport::{RetryPolicy, TransportConfig};
pub mod dedupe;

pub use dedupe::Dedupe;
#[cfg(feature = "fake")]
pub mod fake;
pub mod ratelimit;
mod whatsapp;

/// For provider authors: the plumbing a provider crate is built from. An application does not
/// need any of it (OpenDAL's `raw` is the model).
pub mod raw {
    pub use crate::known::{category_change, Known, KnownTemplates};
    pub use crate::parse::profile::{Env, ProcessEnv, ProfileReader};
    pub use crate::parse::reader::{loose_int, loose_text};
    pub use crate::provider::{
        ensure_valid, ensure_valid_update, header_value, typed_values_unsupported,
        unexpected_answer, Text,
    };
    pub use crate::ratelimit::RateLimiter;
    pub use crate::registry::{
        built, CallbackCheck, ParseCallback, RecordedRequest, Registration, Reviewable, Sandbox,
        SandboxOptions, StartSandbox, Starting,
    };
    pub use crate::transport::{
        http_client, Attempt, HeaderMap, HeaderName, HeaderValue, HttpResponse, Repeat, Transport,
        MAX_ANSWER,
    };
    pub use crate::whatsapp::whatsapp_error_kind;

    /// WhatsApp's Cloud API shapes, shared by the providers that speak them.
    pub mod whatsapp {
        pub use crate::whatsapp::*;
    }
}
