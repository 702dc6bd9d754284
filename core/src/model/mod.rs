//! The neutral template and message model.

/// An enum whose values each have one spelling: `ALL` (spelling → value, for reading
/// case-insensitively) and `as_str`, from one list, so that reading and writing agree.
macro_rules! spelled {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $name {
            /// Every spelling and its value (for reading case-insensitively).
            pub const ALL: &'static [(&'static str, $name)] = &[$(($text, $name::$variant)),*];

            /// The value's one spelling, as written.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),*
                }
            }
        }
    };
}

pub mod button;
pub mod component;
pub mod message;
pub mod template;

pub use button::*;
pub use component::*;
pub use message::*;
pub use template::*;
