//! An answer larger than the limit is refused as it arrives: a provider (or something posing
//! as one) cannot make the client hold an unbounded body.

use serde_json::json;
use wabakit::fake::{Fault, FaultKind};
use wabakit::raw::Sandbox;
use wabakit::*;

#[tokio::test]
async fn an_answer_over_the_limit_is_an_error_not_an_allocation() {
    let fake = wabakit::nxcloud::fake::FakeNxcloud::start(Default::default())
        .await
        .unwrap();
    // One attempt: a get is retried after a lost answer, and the retry would be answered.
    let mut profile = fake.profile();
    profile.insert("max_attempts".into(), 1.into());
    let client =
        Client::from_profile("nx", &serde_json::Value::Object(profile), &ProcessEnv).unwrap();
    let huge = "a".repeat(wabakit::raw::MAX_ANSWER + 1);
    fake.inject(Fault::new(FaultKind::Reply(
        json!({ "code": 0, "data": huge }),
    )));
    let e = client
        .get_template(&TemplateQuery::by_name("x", "en_US"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(
        e.message().ends_with(": the answer is larger than 8 MiB"),
        "{e}"
    );
    assert!(e.message().starts_with("POST http://127.0.0.1:"), "{e}");
}
