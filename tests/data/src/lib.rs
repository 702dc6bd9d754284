//! The vendor material the tests read, kept in the repository (`tests/data/vendor/`): the signing
//! vectors and, one file per example, the request, answer and callback examples of the vendor
//! pages. Each file opens with `//` lines naming where it comes from (vendor, page, URL, date,
//! and any repair made); the readers here drop those lines and give the vendor's text as written.

use std::path::PathBuf;

use serde_json::Value;

/// `tests/data/vendor/`.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vendor")
}

/// The text of `vendor/<name>` after its provenance header.
pub fn text(name: &str) -> String {
    let path = dir().join(name);
    let all = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("vendor file {}: {e}", path.display()));
    strip_header(&all).to_owned()
}

/// `vendor/<name>` read as JSON.
pub fn json(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap_or_else(|e| panic!("vendor file {name}: {e}"))
}

/// The file names of `vendor/<subdir>` that start with `prefix`, sorted.
pub fn names(subdir: &str, prefix: &str) -> Vec<String> {
    let d = dir().join(subdir);
    let mut out: Vec<String> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(prefix))
        .map(|n| format!("{subdir}/{n}"))
        .collect();
    out.sort();
    out
}

/// What follows the leading `//` lines.
pub fn strip_header(all: &str) -> &str {
    let mut rest = all;
    while rest.starts_with("//") {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_file_has_a_provenance_header_and_reads_as_json() {
        let mut seen = 0;
        for sub in [
            "seed-000", "seed-001", "seed-002", "seed-003", "seed-004", "vectors",
        ] {
            for name in names(sub, "") {
                let all = std::fs::read_to_string(dir().join(&name)).unwrap();
                assert!(all.starts_with("// "), "{name}: no provenance header");
                assert!(
                    all.contains("2026-12-01") || all.contains("copied"),
                    "{name}: no date"
                );
                json(&name);
                seen += 1;
            }
        }
        assert_eq!(seen, 27);
    }

    #[test]
    fn the_header_is_dropped_and_nothing_else() {
        assert_eq!(strip_header("// a\n// b\n{\"x\": 1}\n"), "{\"x\": 1}\n");
        assert_eq!(strip_header("{}"), "{}");
    }
}
