//! `--output text|json`: what a command prints on stdout, for people or for scripts. Under
//! `json` every command that prints a result prints one JSON document (one line), and nothing
//! else goes to stdout; messages for people stay on stderr.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

static JSON: AtomicBool = AtomicBool::new(false);

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// Set once, from the command line, before the command runs.
pub fn set(output: Output) {
    JSON.store(output == Output::Json, Ordering::Relaxed);
}

pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Print a result: `doc` as one JSON line under `--output json`, else `text()`.
pub fn emit(doc: Value, text: impl FnOnce() -> String) {
    if json() {
        println!("{doc}");
    } else {
        println!("{}", text());
    }
}

/// A result that is a document in both modes: pretty for people, one line for scripts.
pub fn document(v: &impl serde::Serialize) {
    let doc = serde_json::to_value(v).unwrap_or(Value::Null);
    emit(doc.clone(), || {
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    });
}
