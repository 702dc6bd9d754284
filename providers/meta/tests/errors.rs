//! Every code of the project's Meta spec (§5.2) to its kind and whether a later try may
//! succeed; the Graph error object kept whole, with `fbtrace_id` as the request id.

use std::time::Duration;

use serde_json::json;
use wabakit_core::ErrorKind::{self, *};
use wabakit_meta::response::{graph_error, kind_of, PAIR_WINDOW};

/// Spec §5.2, row by row: code, kind, transient (the spec's retry column Y or L; N is not).
const TABLE: &[(i64, ErrorKind, bool)] = &[
    (0, Auth, false),
    (1, Provider, true),
    (2, Provider, true),
    (3, Auth, false),
    (4, RateLimited, true),
    (10, Auth, false),
    (100, Validation, false),
    (190, Auth, false),
    (200, Auth, false),
    (250, Auth, false),
    (299, Auth, false),
    (368, Provider, false),
    (80007, RateLimited, true),
    (130429, RateLimited, true),
    (130472, Recipient, false),
    (131000, Provider, true),
    (131005, Auth, false),
    (131008, Validation, false),
    (131009, Validation, false),
    (131016, Provider, true),
    (131021, Recipient, false),
    (131026, Recipient, false),
    (131031, Provider, false),
    (131042, Billing, false),
    (131045, Config, false),
    (131047, Provider, false),
    (131048, RateLimited, true),
    (131049, Provider, false),
    (131050, Recipient, false),
    (131051, Provider, false),
    (131052, Provider, false),
    (131053, Validation, false),
    (131056, RateLimited, true),
    (131057, Provider, true),
    (132000, Validation, false),
    (132001, NotFound, false),
    (132005, Validation, false),
    (132007, Validation, false),
    (132012, Validation, false),
    (132015, Provider, false),
    (132016, Provider, false),
    (132068, Provider, false),
    (132069, RateLimited, true),
    (133010, Config, false),
    (133016, RateLimited, true),
    (135000, Provider, false),
];

#[test]
fn every_code_of_the_spec_table_has_its_kind() {
    for &(code, kind, transient) in TABLE {
        assert_eq!(kind_of(code, None), (kind, transient), "code {code}");
        let e = graph_error(400, &json!({"error": {"code": code, "message": "x"}})).unwrap();
        assert_eq!(
            (e.kind(), e.retryable()),
            (kind, transient),
            "code {code}: {e}"
        );
    }
}

#[test]
fn template_creation_subcodes_are_read_under_code_100_and_as_codes() {
    for (sub, kind) in [
        (2_388_019, Provider),
        (2_388_023, AlreadyExists),
        (2_388_024, AlreadyExists),
        (2_388_040, Validation),
        (2_388_047, Validation),
        (2_388_073, Validation),
        (2_388_293, Validation),
        (2_388_299, Validation),
    ] {
        assert_eq!(kind_of(100, Some(sub)).0, kind, "100/{sub}");
        assert_eq!(kind_of(sub, None).0, kind, "{sub}");
    }
    // Graph's "object does not exist" (a template id that is gone).
    assert_eq!(kind_of(100, Some(33)), (NotFound, false));
}

#[test]
fn the_error_object_is_kept_whole_and_names_its_trace_id() {
    // Spec §5.1's example: the pair rate limit.
    let body = json!({"error": {"message": "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "type": "OAuthException", "code": 131056,
        "error_data": {"messaging_product": "whatsapp", "details": "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."},
        "fbtrace_id": "A4O5a8RAgePwbcGSu"}});
    let e = graph_error(400, &body).unwrap();
    assert_eq!(e.kind(), RateLimited);
    assert_eq!(e.code(), Some("131056"));
    assert_eq!(e.request_id(), Some("A4O5a8RAgePwbcGSu"));
    assert_eq!(e.provider_name(), Some("meta"));
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(e.details(), Some(&body["error"]));
    assert!(e.message().ends_with("in a short period of time."), "{e}");
    // The pair limit is about one recipient: that send waits out the pair window, no more.
    assert_eq!(e.retry_after(), Some(PAIR_WINDOW));
    assert_eq!(PAIR_WINDOW, Duration::from_secs(6));

    // Spec §5.1's template-create example: the subcode, and the message a person can act on.
    let body = json!({"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100,
        "error_subcode": 2388299, "is_transient": false,
        "error_user_title": "Variables can't be at the start or end of the template",
        "error_user_msg": "Move the variable", "fbtrace_id": "AbCdEf0123"}});
    let e = graph_error(400, &body).unwrap();
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (Validation, Some("100/2388299"), "Move the variable")
    );
    // A template-management error_data may be a string.
    let e = graph_error(
        400,
        &json!({"error": {"code": 132000, "message": "(#132000) Number of parameters does not match",
                          "error_data": "expected 2, got 1"}}),
    )
    .unwrap();
    assert_eq!(
        e.message(),
        "(#132000) Number of parameters does not match: expected 2, got 1"
    );
}

#[test]
fn an_answer_is_an_error_by_its_body_not_its_status() {
    // Meta can answer 200 with an error when the service is unavailable.
    let e = graph_error(
        200,
        &json!({"error": {"code": 2, "message": "Service unavailable"}}),
    )
    .unwrap();
    assert_eq!((e.kind(), e.retryable()), (Provider, true));
    assert!(graph_error(200, &json!({"success": true})).is_none());
    assert!(graph_error(500, &json!({"messages": [{"id": "wamid.1"}]})).is_none());
}
