//! What each fuzz target does with its bytes. `fuzz/` (cargo-fuzz, `scripts/fuzz`) calls these
//! under libFuzzer; `tests/corpora.rs` runs every saved input (the seed corpora from the test
//! data, and each crash found, kept in `fuzz/regressions/`) through them in the test command.
//! A target fails by panicking: each reader must turn any input into a value or an error.
//!
//! Inputs that need a choice (a format, a provider, whether to verify) take it from their
//! first byte, so that one corpus file is one whole case.

use serde_json::Value;
use wabakit::config::ConfigFile;
use wabakit::raw::CallbackCheck;
use wabakit::{Format, Template, TemplateMessage};

/// A target: its bytes in, a panic if anything is wrong.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: what `scripts/fuzz` runs and the corpus folders are named for.
pub const TARGETS: &[(&str, Target)] = &[
    ("template", template),
    ("message", message),
    ("callback", callback),
    ("answer", answer),
    ("config", config),
    ("rows", rows),
];

fn split(data: &[u8]) -> Option<(u8, &str)> {
    let (first, rest) = data.split_first()?;
    Some((*first, std::str::from_utf8(rest).ok()?))
}

fn format(b: u8) -> Format {
    [Format::Json, Format::Yaml, Format::Toml][usize::from(b % 3)]
}

/// The template reader (first byte: JSON, YAML or TOML), then validation; a template read is
/// written back and read again to the same template.
pub fn template(data: &[u8]) {
    let Some((f, text)) = split(data) else { return };
    if let Ok(t) = Template::from_text(text, format(f)) {
        let _ = t.validate();
        let again = Template::from_value(&t.to_value()).expect("a template's own value reads back");
        assert_eq!(again, t, "a template reads back as itself");
    }
}

/// The message reader (first byte: the format), then the message's own checks.
pub fn message(data: &[u8]) {
    let Some((f, text)) = split(data) else { return };
    if let Ok(m) = TemplateMessage::from_text(text, format(f)) {
        let _ = wabakit::validate::validate_message(&m, None);
        let again =
            TemplateMessage::from_value(&m.to_value()).expect("a message's own value reads back");
        assert_eq!(again, m, "a message reads back as itself");
    }
}

/// A callback body and headers (`name: value` lines, a blank line, the body) for the provider
/// the first byte picks; odd first bytes verify, with a valid signature computed here (so
/// that the parse behind the check is reached) or, every fourth input, the headers as given.
pub fn callback(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let regs = wabakit::registry::PROVIDERS;
    let reg = &regs[usize::from(first / 4) % regs.len()];
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&b""[..], rest),
    };
    let mut headers: Vec<(String, String)> = String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let secret = "fuzz-secret";
    let verify = first % 2 == 1;
    if verify && first % 4 == 1 {
        headers.extend(signed_headers(reg.name, secret, body));
    }
    let check = CallbackCheck {
        secret: verify.then_some(secret),
        now_millis: None,
        window_millis: None,
    };
    let _ = (reg.callbacks)(&headers, body, &check);
}

/// The headers a provider's genuine callback of `body` carries.
fn signed_headers(provider: &str, secret: &str, body: &[u8]) -> Vec<(String, String)> {
    match provider {
        "nxcloud" => {
            let s = wabakit_nxcloud::sign::sign(&wabakit_nxcloud::sign::SignInput {
                access_key: "fuzz-ak",
                access_secret: secret,
                ts: "1718000000000",
                biz_type: "2",
                action: "mt",
                body: Some(body),
                algorithm: wabakit_nxcloud::sign::Algorithm::Md5,
            });
            [
                ("accessKey", "fuzz-ak"),
                ("action", "mt"),
                ("bizType", "2"),
                ("ts", "1718000000000"),
                ("sign", s.sign.as_str()),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec()
        }
        "meta" => vec![(
            "x-hub-signature-256".into(),
            wabakit_meta::sign::body_signature(secret, body),
        )],
        _ => Vec::new(),
    }
}

/// A vendor's answer (first byte: provider; next two: the HTTP status), read as each
/// provider reads its answers.
pub fn answer(data: &[u8]) {
    let [p, s1, s2, body @ ..] = data else { return };
    let status = 100 + u16::from_be_bytes([*s1, *s2]) % 500;
    let resp = || wabakit::raw::HttpResponse {
        status,
        headers: Default::default(),
        body: bytes::Bytes::copy_from_slice(body),
    };
    match p % 3 {
        0 => {
            let _ = wabakit_nxcloud::response::interpret(resp());
        }
        1 => {
            use wabakit_alibaba::response::{interpret, Brief, Saved};
            let _ = interpret::<Value>(resp());
            let _ = interpret::<Brief>(resp());
            let _ = interpret::<Saved>(resp());
        }
        _ => {
            let _ = wabakit_meta::response::interpret(resp());
        }
    }
}

/// A config file, and every profile in it built into a client (nothing is sent; the store's
/// URL is read, not opened: a fuzzed URL must not create files or reach a network).
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let no_env = |_: &str| None;
    let Ok(file) = ConfigFile::parse_with(text, "fuzz.toml", &no_env) else {
        return;
    };
    let _ = format!("{file:?}");
    if let Some(url) = &file.store {
        let _ = wabakit::store::StoreUrl::parse(url);
    }
    for name in file.profiles.keys() {
        if let Ok((name, profile)) = file.profile(Some(name)) {
            let _ = wabakit::Client::from_profile(&name, profile, &no_env);
        }
    }
}

/// A bulk input (first byte: CSV or JSONL), every row read into a message.
pub fn rows(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let f = if first % 2 == 0 {
        wabakit::rows::Format::Csv
    } else {
        wabakit::rows::Format::Jsonl
    };
    let Ok(input) = wabakit::rows::Input::read(std::io::Cursor::new(rest.to_vec()), f) else {
        return;
    };
    for v in input.rows.take(1_000).flatten() {
        let doc = wabakit::rows::row_doc(v, Some("t"), Some("en_US"));
        let _ = TemplateMessage::from_value(&doc);
    }
}
