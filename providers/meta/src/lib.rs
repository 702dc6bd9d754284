#![warn(missing_docs)]
//! wabakit's provider for Meta's WhatsApp Cloud API (the Graph API), in the skeleton every
//! provider shares (`providers/README.md`). Issue 14 builds it in steps; this first one holds
//! the pure parts, each tested against the vectors of the project's Meta spec: the request and
//! webhook signatures ([`sign`]), the Graph error object and its codes ([`response`]), and the
//! webhook subscription challenge and deliveries ([`callbacks`]). The config, client, mapping
//! and fake server, and its registration, follow; until then the crate is not in the registry.

pub mod callbacks;
pub mod response;
pub mod sign;

/// The registry name: `provider = "meta"` in a profile (once registered).
pub const NAME: &str = "meta";
