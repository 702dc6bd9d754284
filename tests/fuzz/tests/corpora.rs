//! Every saved fuzz input, run through its target: the seed corpora (`fuzz/corpus/<target>/`,
//! from the test data, `fuzz/seed.py`) and every crash the fuzzer found (`fuzz/regressions/
//! <target>/`, kept after its fix). Quick: no fuzzing here, `scripts/fuzz` does that.

use std::path::PathBuf;

fn inputs(folder: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(folder)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .map(|p| {
            let data = std::fs::read(&p).unwrap();
            (p, data)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_target_has_seeds_and_every_saved_input_passes() {
    for (target, run) in wabakit_fuzz_targets::TARGETS {
        let seeds = inputs("corpus", target);
        assert!(
            !seeds.is_empty(),
            "{target}: no seed corpus (python3 fuzz/seed.py)"
        );
        for (path, data) in seeds.iter().chain(&inputs("regressions", target)) {
            let r = std::panic::catch_unwind(|| run(data));
            assert!(r.is_ok(), "{target}: {} fails", path.display());
        }
    }
}

#[test]
fn the_fuzz_crate_has_a_target_for_each() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fuzz_targets");
    for (target, _) in wabakit_fuzz_targets::TARGETS {
        let file = dir.join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            text.contains(&format!("wabakit_fuzz_targets::{target}(")),
            "{} should call wabakit_fuzz_targets::{target}",
            file.display()
        );
    }
}
