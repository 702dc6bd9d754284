//! What every provider that speaks WhatsApp's Cloud API shapes shares: Meta's own provider,
//! and NXCloud, which passes Meta's objects through. Its error table, a send's `template`
//! object, and templates as listed. For provider crates (see [`crate::raw`]).

mod errors;
mod send;
mod templates;

pub use errors::whatsapp_error_kind;
pub use send::*;
pub use templates::{template_info, template_page};
