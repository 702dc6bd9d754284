//! Reading a `serde_json::Value` into typed structs while recording every problem with its path.
//!
//! Serde derive stops at the first error and loses the path inside internally tagged enums;
//! users want every mistake in a template at once, each with the exact field.

use serde_json::{Map, Value};

use crate::path::FieldPath;
use crate::problem::Problems;

use crate::validate::rules;

/// Rule id: a field the document type does not have.
pub const UNKNOWN_FIELD: &str = rules::PARSE_UNKNOWN_FIELD.id;
/// Rule id: a required field is absent.
pub const MISSING_FIELD: &str = rules::PARSE_MISSING_FIELD.id;
/// Rule id: a value of the wrong type.
pub const WRONG_TYPE: &str = rules::PARSE_WRONG_TYPE.id;
/// Rule id: an enum value that is not one of its values.
pub const UNKNOWN_VALUE: &str = rules::PARSE_UNKNOWN_VALUE.id;

/// The JSON type of `v`, as messages name it (`a string`, `a list` …).
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An object being read: fields are taken one by one and whatever is left is unknown.
pub struct Obj<'v> {
    map: &'v Map<String, Value>,
    taken: Vec<&'static str>,
    taken_owned: Vec<String>,
    /// Where the object is in the document.
    pub path: FieldPath,
}

impl<'v> Obj<'v> {
    /// `v` as an object, or a wrong-type problem.
    pub fn new(v: &'v Value, path: FieldPath, p: &mut Problems) -> Option<Self> {
        match v {
            Value::Object(map) => Some(Obj {
                map,
                taken: Vec::new(),
                taken_owned: Vec::new(),
                path,
            }),
            other => {
                p.push(
                    &path,
                    WRONG_TYPE,
                    format!("expected an object, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// The field's value; `null` counts as absent.
    pub fn get(&mut self, key: &'static str) -> Option<&'v Value> {
        self.taken.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// The keys of the object, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// A field whose name is data (a map of user-chosen keys): taken, so it is not unknown.
    pub fn get_any(&mut self, key: &str) -> Option<&'v Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.taken_owned.push(k.clone());
        Some(v).filter(|v| !v.is_null())
    }

    /// Whether the object has field `key`.
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// The path of field `key`.
    pub fn at(&self, key: &str) -> FieldPath {
        self.path.key(key)
    }

    /// A required field, or a missing-field problem.
    pub fn req(&mut self, key: &'static str, p: &mut Problems) -> Option<&'v Value> {
        let v = self.get(key);
        if v.is_none() {
            p.push(&self.at(key), MISSING_FIELD, "required field is missing");
        }
        v
    }

    /// An optional string field.
    pub fn opt_str(&mut self, key: &'static str, p: &mut Problems) -> Option<String> {
        let path = self.at(key);
        self.get(key).and_then(|v| string(v, &path, p))
    }

    /// A required string field.
    pub fn req_str(&mut self, key: &'static str, p: &mut Problems) -> Option<String> {
        let path = self.at(key);
        self.req(key, p).and_then(|v| string(v, &path, p))
    }

    /// An optional boolean field.
    pub fn opt_bool(&mut self, key: &'static str, p: &mut Problems) -> Option<bool> {
        let path = self.at(key);
        self.get(key).and_then(|v| match v {
            Value::Bool(b) => Some(*b),
            other => {
                p.push(
                    &path,
                    WRONG_TYPE,
                    format!("expected true or false, found {}", kind_of(other)),
                );
                None
            }
        })
    }

    /// An optional whole-number field.
    pub fn opt_int(&mut self, key: &'static str, p: &mut Problems) -> Option<i64> {
        let path = self.at(key);
        self.get(key).and_then(|v| int(v, &path, p))
    }

    /// Report every field that was not taken. Field names are case-sensitive, like the APIs'.
    pub fn finish(self, p: &mut Problems) {
        for key in self.map.keys() {
            if !self.taken.contains(&key.as_str()) && !self.taken_owned.contains(key) {
                let mut expected: Vec<&str> = self.taken.clone();
                expected.sort_unstable();
                expected.dedup();
                p.push(
                    &self.path.key(key),
                    UNKNOWN_FIELD,
                    format!("unknown field (expected one of: {})", expected.join(", ")),
                );
            }
        }
    }
}

/// `v` as a string, or a wrong-type problem.
pub fn string(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => {
            p.push(
                path,
                WRONG_TYPE,
                format!("expected a string, found {}", kind_of(other)),
            );
            None
        }
    }
}

/// `v` as a whole number, or a wrong-type problem.
pub fn int(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<i64> {
    match v.as_i64() {
        Some(n) => Some(n),
        None => {
            let found = if v.is_number() {
                "a fraction or an out-of-range number"
            } else {
                kind_of(v)
            };
            p.push(
                path,
                WRONG_TYPE,
                format!("expected a whole number, found {found}"),
            );
            None
        }
    }
}

/// `v` as a number, or a wrong-type problem.
pub fn number(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        other => {
            p.push(
                path,
                WRONG_TYPE,
                format!("expected a number, found {}", kind_of(other)),
            );
            None
        }
    }
}

/// Each element of the list at `path`, read by `item`; elements that fail are left out.
pub fn list<T>(
    v: &Value,
    path: &FieldPath,
    p: &mut Problems,
    mut item: impl FnMut(&Value, FieldPath, &mut Problems) -> Option<T>,
) -> Option<Vec<T>> {
    match v {
        // Far more entries than any WhatsApp list has: one problem, not one per entry.
        Value::Array(items) if items.len() > super::limits::MAX_ENTRIES => {
            p.push(
                path,
                crate::validate::rules::PARSE_TOO_MANY.id,
                format!(
                    "{} entries; at most {} are read",
                    items.len(),
                    super::limits::MAX_ENTRIES
                ),
            );
            None
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, it) in items.iter().enumerate() {
                match item(it, path.index(i), p) {
                    Some(t) => out.push(t),
                    None => ok = false,
                }
            }
            ok.then_some(out)
        }
        other => {
            p.push(
                path,
                WRONG_TYPE,
                format!("expected a list, found {}", kind_of(other)),
            );
            None
        }
    }
}

/// `v` as a list of strings, or a problem at each element that is not one.
pub fn string_list(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<Vec<String>> {
    list(v, path, p, |it, at, p| string(it, &at, p))
}

/// An enum value, matched case-insensitively against `table`.
pub fn enum_value<T: Copy>(
    v: &Value,
    path: &FieldPath,
    p: &mut Problems,
    table: &[(&'static str, T)],
) -> Option<T> {
    let s = string(v, path, p)?;
    match table.iter().find(|(name, _)| name.eq_ignore_ascii_case(&s)) {
        Some((_, t)) => Some(*t),
        None => {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            p.push(
                path,
                UNKNOWN_VALUE,
                format!(
                    "unknown value {:?} (expected one of: {})",
                    s,
                    names.join(", ")
                ),
            );
            None
        }
    }
}

/// A vendor's id or text written as a string or as a number (`"1512500000001"` or
/// `1512500000001`): vendors write ids and times both ways in answers and callbacks, which their
/// providers read leniently with this (the strict readers above are for documents).
pub fn loose_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A whole number written as a number or as numeric text (`1750263773` or `"1750263773"`).
pub fn loose_int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
