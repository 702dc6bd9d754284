pub use wabakit_core::*;
