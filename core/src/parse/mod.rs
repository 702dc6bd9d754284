//! Reading templates and messages from JSON, YAML or TOML, reporting every problem with its path.
//!
//! All three formats are first read into a `serde_json::Value`, so one reader (and one set of
//! error messages) serves them all, and the Python binding's dicts too.

mod message;
pub mod profile;
pub mod reader;
mod template;

use serde_json::Value;

use crate::model::{Template, TemplateMessage};
use crate::path::Path;
use crate::problem::{Problem, Problems};

pub use reader::{MISSING_FIELD, UNKNOWN_FIELD, UNKNOWN_VALUE, WRONG_TYPE};

/// Rule id of a document that is not well-formed JSON/YAML/TOML.
pub const SYNTAX: &str = crate::validate::rules::PARSE_SYNTAX.id;

/// The text formats a document may be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
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

/// Read text in `format` into a `Value`.
pub fn to_value(text: &str, format: Format) -> Result<Value, Vec<Problem>> {
    let r = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| e.to_string()),
        Format::Yaml => serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string()),
        Format::Toml => toml::from_str::<Value>(text).map_err(|e| e.to_string()),
    };
    r.map_err(|e| vec![Problem::new(&Path::root(), SYNTAX, e)])
}

fn finish<T>(t: Option<T>, p: Problems) -> Result<T, Vec<Problem>> {
    match t {
        Some(t) if p.is_empty() => Ok(t),
        _ => Err(p.into_vec()),
    }
}

impl Template {
    /// Read a template document; every problem is reported, each with its path.
    pub fn from_value(v: &Value) -> Result<Template, Vec<Problem>> {
        let mut p = Problems::default();
        let t = template::template(v, &mut p);
        finish(t, p)
    }

    pub fn from_json(text: &str) -> Result<Template, Vec<Problem>> {
        Self::from_value(&to_value(text, Format::Json)?)
    }

    pub fn from_yaml(text: &str) -> Result<Template, Vec<Problem>> {
        Self::from_value(&to_value(text, Format::Yaml)?)
    }

    pub fn from_toml(text: &str) -> Result<Template, Vec<Problem>> {
        Self::from_value(&to_value(text, Format::Toml)?)
    }

    pub fn from_text(text: &str, format: Format) -> Result<Template, Vec<Problem>> {
        Self::from_value(&to_value(text, format)?)
    }
}

impl TemplateMessage {
    /// Read a message document; every problem is reported, each with its path.
    pub fn from_value(v: &Value) -> Result<TemplateMessage, Vec<Problem>> {
        let mut p = Problems::default();
        let m = message::message(v, &mut p);
        finish(m, p)
    }

    pub fn from_json(text: &str) -> Result<TemplateMessage, Vec<Problem>> {
        Self::from_value(&to_value(text, Format::Json)?)
    }

    pub fn from_text(text: &str, format: Format) -> Result<TemplateMessage, Vec<Problem>> {
        Self::from_value(&to_value(text, format)?)
    }
}

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
