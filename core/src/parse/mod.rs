//! Reading templates and messages from JSON, YAML or TOML, reporting every problem with its path.
//!
//! All three formats are first read into a `serde_json::Value`, so one reader (and one set of
//! error messages) serves them all, and the Python binding's dicts too.

pub mod limits;
mod message;
pub mod profile;
pub mod reader;
mod template;

use serde_json::Value;

use crate::model::{Template, TemplateMessage};
use crate::path::FieldPath;
use crate::problem::{Problem, Problems};

pub use reader::{MISSING_FIELD, UNKNOWN_FIELD, UNKNOWN_VALUE, WRONG_TYPE};

/// Rule id of a document that is not well-formed JSON/YAML/TOML.
pub const SYNTAX: &str = crate::validate::rules::PARSE_SYNTAX.id;

/// The text formats a document may be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// TOML.
    Toml,
}

impl Format {
    /// The format a file name's extension names (`.json`, `.yaml`/`.yml`, `.toml`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// A document that could not be read: every problem, each with its path. It works with `?`
/// (it is a `std::error::Error`, and converts into [`crate::Error`] as a validation error) and
/// reads as the list of its problems (`e.len()`, `e[0].path`, `for p in e.iter()`).
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError {
    problems: Vec<Problem>,
}

impl ReadError {
    /// An error of these problems.
    pub fn new(problems: Vec<Problem>) -> Self {
        ReadError { problems }
    }

    /// Every problem, each with its path.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, taken.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl std::ops::Deref for ReadError {
    type Target = [Problem];

    fn deref(&self) -> &[Problem] {
        &self.problems
    }
}

impl PartialEq<Vec<Problem>> for ReadError {
    fn eq(&self, other: &Vec<Problem>) -> bool {
        &self.problems == other
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} problem(s): ", self.problems.len())?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for crate::error::Error {
    fn from(e: ReadError) -> Self {
        crate::error::Error::validation(e.problems)
    }
}

/// Read text in `format` into a `Value`, within the [`limits`] of size and nesting.
pub fn to_value(text: &str, format: Format) -> Result<Value, ReadError> {
    limits::check_text(text, format == Format::Yaml).map_err(|p| ReadError::new(vec![p]))?;
    let r = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| e.to_string()),
        Format::Yaml => serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string()),
        Format::Toml => toml::from_str::<Value>(text).map_err(|e| e.to_string()),
    };
    r.map_err(|e| ReadError::new(vec![Problem::new(&FieldPath::root(), SYNTAX, e)]))
}

fn finish<T>(t: Option<T>, p: Problems) -> Result<T, ReadError> {
    match t {
        Some(t) if p.is_empty() => Ok(t),
        _ => Err(ReadError::new(p.into_vec())),
    }
}

/// A file's text and its format (by extension), or the problem with it.
fn file_text(path: &std::path::Path) -> Result<(String, Format), ReadError> {
    let problem = |msg: String| ReadError::new(vec![Problem::new(&FieldPath::root(), SYNTAX, msg)]);
    let format = Format::from_path(path).ok_or_else(|| {
        problem(format!(
            "{}: the extension names no format (.json, .yaml, .yml, .toml)",
            path.display()
        ))
    })?;
    let text = read_limited(path).map_err(|e| match e {
        Limited::Io(e) => ReadError::new(vec![Problem::new(
            &FieldPath::root(),
            SYNTAX,
            format!("{}: {e}", path.display()),
        )]),
        Limited::TooLarge(n) => ReadError::new(vec![limits::too_large(n)]),
    })?;
    Ok((text, format))
}

/// Why a file was not read.
pub enum Limited {
    /// It could not be opened or read, or is not UTF-8.
    Io(std::io::Error),
    /// It is larger than [`limits::MAX_BYTES`] (this many bytes, or more).
    TooLarge(usize),
}

/// A document file's text, no more than [`limits::MAX_BYTES`] of it read: a huge file is
/// refused without being held in memory.
pub fn read_limited(path: &std::path::Path) -> Result<String, Limited> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(Limited::Io)?;
    let mut buf = Vec::new();
    f.take(limits::MAX_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(Limited::Io)?;
    if buf.len() > limits::MAX_BYTES {
        let len = std::fs::metadata(path).map_or(buf.len(), |m| m.len() as usize);
        return Err(Limited::TooLarge(len));
    }
    String::from_utf8(buf)
        .map_err(|e| Limited::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// The readers every document type has, from a `Value` reader.
macro_rules! readers {
    ($t:ty, $what:literal) => {
        impl $t {
            #[doc = concat!("Read ", $what, " document in JSON.")]
            pub fn from_json(text: &str) -> Result<$t, ReadError> {
                Self::from_value(&to_value(text, Format::Json)?)
            }

            #[doc = concat!("Read ", $what, " document in YAML.")]
            pub fn from_yaml(text: &str) -> Result<$t, ReadError> {
                Self::from_value(&to_value(text, Format::Yaml)?)
            }

            #[doc = concat!("Read ", $what, " document in TOML.")]
            pub fn from_toml(text: &str) -> Result<$t, ReadError> {
                Self::from_value(&to_value(text, Format::Toml)?)
            }

            #[doc = concat!("Read ", $what, " document in `format`.")]
            pub fn from_text(text: &str, format: Format) -> Result<$t, ReadError> {
                Self::from_value(&to_value(text, format)?)
            }

            #[doc = concat!("Read ", $what, " document from a file, its format named by its extension.")]
            pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<$t, ReadError> {
                let (text, format) = file_text(path.as_ref())?;
                Self::from_text(&text, format)
            }
        }
    };
}

impl Template {
    /// Read a template document; every problem is reported, each with its path.
    pub fn from_value(v: &Value) -> Result<Template, ReadError> {
        let mut p = Problems::default();
        let t = template::template(v, &mut p);
        finish(t, p)
    }
}

impl TemplateMessage {
    /// Read a message document; every problem is reported, each with its path.
    pub fn from_value(v: &Value) -> Result<TemplateMessage, ReadError> {
        let mut p = Problems::default();
        let m = message::message(v, &mut p);
        finish(m, p)
    }
}

readers!(Template, "a template");
readers!(TemplateMessage, "a message");

/// So that a template or message can sit inside a user's own serde types.
macro_rules! deserialize_via_value {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = Value::deserialize(d)?;
                <$t>::from_value(&v).map_err(|problems| {
                    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                    serde::de::Error::custom(lines.join("; "))
                })
            }
        }
    };
}

deserialize_via_value!(Template);
deserialize_via_value!(TemplateMessage);
