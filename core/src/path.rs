//! Paths into a document, written the way users read them: `components[3].buttons[2].url`.

use std::fmt;

/// A location inside a template or message document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(String);

impl FieldPath {
    /// The document root (an empty path).
    pub fn root() -> Self {
        FieldPath(String::new())
    }

    /// The path of field `name` below this one.
    pub fn key(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_owned())
        } else {
            FieldPath(format!("{}.{}", self.0, name))
        }
    }

    /// The path of element `i` of the list at this path.
    pub fn index(&self, i: usize) -> Self {
        FieldPath(format!("{}[{}]", self.0, i))
    }

    /// The path as written (empty for the root).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is the document root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document)")
        } else {
            f.write_str(&self.0)
        }
    }
}

impl From<&str> for FieldPath {
    fn from(s: &str) -> Self {
        FieldPath(s.to_owned())
    }
}

/// A location while a document is walked: a chain of borrowed segments on the stack, so that
/// checking a valid document allocates nothing for paths; it becomes a string only when a
/// problem is reported there (validation runs on every request).
#[derive(Clone, Copy, Debug)]
pub(crate) enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

static ROOT: At<'static> = At::Root;

impl<'a> At<'a> {
    pub(crate) fn key(&'a self, name: &'a str) -> At<'a> {
        At::Key(self, name)
    }

    pub(crate) fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Root => {}
            At::Key(parent, name) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(itoa::Buffer::new().format(*i));
                out.push(']');
            }
        }
    }

    /// The same location as [`FieldPath`] spells it.
    pub(crate) fn owned(&self) -> FieldPath {
        let mut s = String::new();
        self.write(&mut s);
        FieldPath(s)
    }
}

impl<'a> From<&'a str> for At<'a> {
    /// A top-level field.
    fn from(name: &'a str) -> Self {
        At::Key(&ROOT, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_spells_paths_like_path() {
        let comps = At::from("components");
        let c3 = comps.index(3);
        let buttons = c3.key("buttons");
        assert_eq!(
            buttons.index(2).key("url").owned(),
            FieldPath::from("components")
                .index(3)
                .key("buttons")
                .index(2)
                .key("url")
        );
        assert_eq!(At::Root.index(0).owned().as_str(), "[0]");
        assert_eq!(At::Root.key("name").owned().as_str(), "name");
    }
}
