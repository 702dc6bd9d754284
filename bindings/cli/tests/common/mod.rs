//! What the command line's test suites share: the binary, a folder, a config, a receiver.
#![allow(dead_code)] // each suite uses its part

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wabakit"));
    c.env_remove("WABAKIT_CONFIG").env_remove("WABAKIT_PROFILE");
    c
}

/// `wabakit ARGS` on a terminal: `script` runs it on a pty of its own and copies what it
/// shows to stdout.
pub fn on_a_terminal(args: &[String]) -> std::process::Output {
    let line = std::iter::once(env!("CARGO_BIN_EXE_wabakit").to_owned())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    Command::new("script")
        .args(["-qfec", &line, "/dev/null"])
        .env_remove("WABAKIT_CONFIG")
        .env_remove("WABAKIT_PROFILE")
        .output()
        .unwrap()
}

pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wabakit-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A config with these profiles and a store in `dir`.
pub fn config(dir: &Path, profiles: &[(&str, serde_json::Map<String, Value>)]) -> PathBuf {
    let url = format!("sqlite://{}", dir.join("wabakit.db").display());
    config_with_store(dir, &url, profiles)
}

/// A config with these profiles and the store at `url`.
pub fn config_with_store(
    dir: &Path,
    url: &str,
    profiles: &[(&str, serde_json::Map<String, Value>)],
) -> PathBuf {
    let mut p = serde_json::Map::new();
    for (name, table) in profiles {
        p.insert((*name).to_owned(), Value::Object(table.clone()));
    }
    let doc = json!({
        "store": {"url": url},
        "profiles": p,
    });
    let path = dir.join("wabakit.toml");
    std::fs::write(&path, toml::to_string(&doc).unwrap()).unwrap();
    path
}

/// `wabakit serve --listen 127.0.0.1:0`: the process and the address it printed.
pub fn start(config: &Path) -> (Child, String) {
    let mut child = bin()
        .arg("--config")
        .arg(config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    (child, addr)
}

pub async fn until<F: FnMut() -> bool>(what: &str, mut done: F) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn run(config: &Path, args: &[&str]) -> (i32, String) {
    let o = bin()
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}
