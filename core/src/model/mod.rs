//! The neutral template and message model.

pub mod button;
pub mod component;
pub mod message;
pub mod template;

pub use button::*;
pub use component::*;
pub use message::*;
pub use template::*;
