//! Paths into a document, written the way users read them: `components[3].buttons[2].url`.

use std::fmt;

/// A location inside a template or message document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(String);

impl Path {
    /// The document root (an empty path).
    pub fn root() -> Self {
        Path(String::new())
    }

    /// The path of field `name` below this one.
    pub fn key(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Path(name.to_owned())
        } else {
            Path(format!("{}.{}", self.0, name))
        }
    }

    /// The path of element `i` of the list at this path.
    pub fn index(&self, i: usize) -> Self {
        Path(format!("{}[{}]", self.0, i))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document)")
        } else {
            f.write_str(&self.0)
        }
    }
}

impl From<&str> for Path {
    fn from(s: &str) -> Self {
        Path(s.to_owned())
    }
}
