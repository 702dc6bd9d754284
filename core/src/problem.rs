//! A problem found in a document: where, which rule, and a sentence a person can act on.

use std::fmt;

use serde::Serialize;

use crate::path::FieldPath;

/// One thing wrong with a document: where, which rule, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where in the document (`components[3].buttons[2].url`).
    pub path: String,
    /// The rule that failed (`button.url.variable`), see [`crate::rules`].
    pub rule: &'static str,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Problem {
    /// A problem at `path` breaking `rule`.
    pub fn new(path: &FieldPath, rule: &'static str, message: impl Into<String>) -> Self {
        Problem {
            path: path.as_str().to_owned(),
            rule,
            message: bounded(message.into()),
        }
    }

    /// The provider cannot express this (the document itself may be valid WhatsApp).
    pub fn is_unsupported(&self) -> bool {
        self.rule.starts_with("unsupported.")
    }
}

/// The longest message kept: a sentence quoting a value stays readable, and a megabyte-long
/// value quoted in it does not become a megabyte-long error.
const MAX_MESSAGE: usize = 400;

fn bounded(mut m: String) -> String {
    if m.len() > MAX_MESSAGE {
        let mut end = MAX_MESSAGE;
        while !m.is_char_boundary(end) {
            end -= 1;
        }
        m.truncate(end);
        m.push('…');
    }
    m
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        write!(f, "{}: {} [{}]", path, self.message, self.rule)
    }
}

/// Problems collected while reading or checking one document.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Record a problem.
    pub fn push(&mut self, path: &FieldPath, rule: &'static str, message: impl Into<String>) {
        self.0.push(Problem::new(path, rule, message));
    }

    /// None recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order recorded.
    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }
}
