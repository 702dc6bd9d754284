//! wabakit-core: the neutral WhatsApp template and message model, its validation, the
//! `Provider` trait every provider implements, the error type, and an in-memory provider.

pub mod model;
pub mod parse;
pub mod path;
pub mod placeholder;
pub mod problem;

pub use model::*;
pub use parse::Format;
pub use path::Path;
pub use problem::Problem;
pub mod capabilities;
pub mod types;
pub mod validate;

pub use capabilities::Capabilities;
pub use types::*;
pub use validate::{normalize_phone, rules, validate_message, validate_template, validate_update};
pub mod error;
pub mod event;
pub mod known;
pub mod memory;
pub mod provider;

pub use error::{Delivery, Error, ErrorKind, Result};
pub use event::{Event, EventBody, MessageStatus};
pub use known::{Known, KnownTemplates};
pub use memory::{MemoryProvider, Review};
pub use provider::{
    ensure_valid, ensure_valid_update, header_value, HttpRequest, Operation, Pinned, Provider, Text,
};
pub mod clock;
pub mod secret;
pub mod transport;

pub use clock::{Clock, FixedClock, OffsetClock, SystemClock};
pub use secret::Secret;
pub use transport::{
    Attempt, HeaderMap, HeaderName, HeaderValue, HttpResponse, Repeat, RetryPolicy, Transport,
    TransportConfig,
};
pub mod dedupe;

pub use dedupe::Dedupe;
#[cfg(feature = "fake")]
pub mod fake;
pub mod ratelimit;

pub use ratelimit::RateLimiter;
