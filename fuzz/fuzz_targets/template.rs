#![no_main]
// The target's body is in tests/fuzz (shared with the corpus regression test).
libfuzzer_sys::fuzz_target!(|data: &[u8]| wabakit_fuzz_targets::template(data));
