//! One shape for every provider: each registered provider's render equals what its fake
//! received, operation by operation; `[qps]` keys are the neutral operation names for every
//! provider, and a misspelt one is an error naming it.

use wabakit::raw::SandboxOptions;
use wabakit::*;
use wabakit_conformance::render_matches_recorded;

#[tokio::test]
async fn every_operation_renders_the_request_it_sends() {
    let mut providers = Vec::new();
    for reg in wabakit::PROVIDERS.iter().filter(|r| r.sandbox.is_some()) {
        let checked = render_matches_recorded(reg)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            checked.len(),
            7,
            "{}: every operation, and get by id: {checked:?}",
            reg.name
        );
        providers.push(reg.name);
    }
    // Every provider compiled in with a fake server (the memory provider has no wire).
    assert_eq!(
        providers.len(),
        wabakit::PROVIDERS.len() - 1,
        "{providers:?}"
    );
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// Each sandbox's profile as a config file's `[profiles.p]`, its `qps` table replaced by `qps`.
async fn profiles_with(qps: serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for reg in wabakit::PROVIDERS {
        let mut table = match reg.sandbox {
            Some(start) => start(SandboxOptions::default()).await.unwrap().profile(),
            None => serde_json::Map::from_iter([("provider".into(), reg.name.into())]),
        };
        table.remove("endpoint");
        table.insert("qps".into(), qps.clone());
        let doc = serde_json::json!({ "profiles": { "p": table } });
        out.push((reg.name.to_owned(), toml::to_string(&doc).unwrap()));
    }
    out
}

#[tokio::test]
async fn qps_keys_are_the_neutral_operation_names_for_every_provider() {
    let every: serde_json::Map<String, serde_json::Value> = OperationKind::ALL
        .iter()
        .map(|k| (k.name().to_owned(), 7.into()))
        .collect();
    for (name, text) in profiles_with(every.into()).await {
        let c = Client::from_toml(&text, None, &no_env)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(c.provider().name(), name);
    }
}

#[tokio::test]
async fn a_misspelt_qps_key_is_an_error_naming_it() {
    for (name, text) in profiles_with(serde_json::json!({"sned": 5})).await {
        let e = Client::from_toml(&text, None, &no_env).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{name}");
        let msg = e.to_string();
        assert!(
            msg.contains("profile `p`: qps.sned: unknown operation `sned` (this provider's operations: create_template, update_template, get_template, list_templates, delete_template, send"),
            "{name}: {msg}"
        );
    }
    // A vendor's own action name is not a key either: the names are neutral.
    let (_, text) = profiles_with(serde_json::json!({"SendChatappMessage": 5}))
        .await
        .into_iter()
        .find(|(n, _)| n == "alibaba")
        .unwrap();
    let e = Client::from_toml(&text, None, &no_env)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("qps.SendChatappMessage: unknown operation"),
        "{e}"
    );
}
