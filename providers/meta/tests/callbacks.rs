//! Meta's webhooks: the subscription challenge (right token, wrong token, missing parameters),
//! and the two signed deliveries of the project's Meta spec (§7.7) verified and turned into
//! neutral events, one per status or template change.

use wabakit_core::{ErrorKind, EventBody, MessageStatus, TemplateId, TemplateStatus};
use wabakit_meta::callbacks::{challenge, parse, parse_checked, verify};

const HOOK_SECRET: &str = "6f1d9c3a8b7e4f20a5c1d2e3f4a5b6c7";

fn example(n: &str) -> Vec<u8> {
    wabakit_testdata::text(&format!("meta-spec/{n}")).into_bytes()
}

fn signed(sig: &str) -> Vec<(String, String)> {
    vec![("X-Hub-Signature-256".to_owned(), sig.to_owned())]
}

#[test]
fn the_challenge_is_answered_verbatim_for_the_right_token_only() {
    // The spec's example (§7.1).
    let q = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vibecoding";
    assert_eq!(challenge(q, "vibecoding").unwrap(), "1158201444");
    assert_eq!(
        challenge(&format!("?{q}"), "vibecoding").unwrap(),
        "1158201444"
    );
    // Percent-encoded values are decoded before the comparison.
    let q = "hub.verify_token=a%20b%26c&hub.challenge=42&hub.mode=subscribe";
    assert_eq!(challenge(q, "a b&c").unwrap(), "42");

    let wrong = challenge(
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess",
        "vibecoding",
    )
    .unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Auth);
    assert!(!wrong.to_string().contains("1158201444"), "{wrong}");
    assert!(!wrong.to_string().contains("vibecoding"), "{wrong}");

    for (q, missing) in [
        ("hub.challenge=1&hub.verify_token=t", "hub.mode"),
        ("hub.mode=subscribe&hub.challenge=1", "hub.verify_token"),
        ("hub.mode=subscribe&hub.verify_token=t", "hub.challenge"),
        ("", "hub.mode, hub.verify_token, hub.challenge"),
    ] {
        let e = challenge(q, "t").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{q}");
        assert_eq!(
            e.message(),
            format!("not a subscription challenge: {missing} missing"),
            "{q}"
        );
    }
    let e = challenge(
        "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=t",
        "t",
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "not a subscription challenge: hub.mode is not subscribe"
    );
}

#[test]
fn example_1_two_batched_statuses_become_two_events() {
    let body = example("webhook-1-statuses.json");
    let headers = signed("sha256=11501eff16a4808b4f530896327314bc776676b0b9e3de61810c2e7c8096d836");
    let events = parse_checked(&headers, &body, Some(HOOK_SECRET)).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].body,
        EventBody::MessageStatus {
            message_id: "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QzU1RDk2RjU0NUNBODQ4QUQA".into(),
            client_ref: Some("tpl:order_confirmation:8812".into()),
            status: MessageStatus::Delivered,
            recipient: Some("16505551234".into()),
            at: Some(1_750_263_773),
            errors: vec![],
        }
    );
    let EventBody::MessageStatus { status, errors, .. } = &events[1].body else {
        panic!("{:?}", events[1]);
    };
    assert_eq!(*status, MessageStatus::Failed);
    assert_eq!(
        errors,
        &["131049: This message was not delivered to maintain healthy ecosystem engagement."]
    );
    // Each event keeps its own status, with the metadata that names the phone number.
    for e in &events {
        assert_eq!(e.provider, "meta");
        assert_eq!(
            e.raw["value"]["metadata"]["phone_number_id"],
            "106540352242922"
        );
        assert_eq!(e.raw["value"]["statuses"].as_array().unwrap().len(), 1);
    }
    // Redelivered, the same events: the same dedupe keys.
    let again = parse(&body).unwrap();
    let keys = |es: &[wabakit_core::Event]| es.iter().map(|e| e.dedupe_key()).collect::<Vec<_>>();
    assert_eq!(keys(&events), keys(&again));
}

#[test]
fn example_2_a_rejected_template_becomes_its_status_event() {
    let body = example("webhook-2-template-status.json");
    let headers = signed("sha256=ca0d3423590e53d4b0a18564fa045ef5550dcb4cf93152ac80d0efbcf0a90d2e");
    let events = parse_checked(&headers, &body, Some(HOOK_SECRET)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].body,
        EventBody::TemplateStatus {
            // The webhook writes the id as a number; the REST API, as a string.
            template_id: Some(TemplateId::new("1689556908129835")),
            name: Some("order_confirmation".into()),
            language: Some("es_ES".into()),
            status: TemplateStatus::Rejected,
            reason: Some("INVALID_FORMAT".into()),
            category: Some("UTILITY".into()),
            at: Some(1_751_247_548),
            request_id: None,
        }
    );
    // The escaped non-ASCII text is kept as sent, decoded.
    assert!(events[0].raw["value"]["rejection_info"]["recommendation"]
        .as_str()
        .unwrap()
        .contains("añade"));
}

#[test]
fn a_delivery_without_or_with_a_wrong_signature_is_refused() {
    let body = example("webhook-2-template-status.json");
    let e = verify(&[], &body, HOOK_SECRET).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(
        e.message(),
        "webhook rejected: no X-Hub-Signature-256 header"
    );
    let headers = signed("sha256=11501eff16a4808b4f530896327314bc776676b0b9e3de61810c2e7c8096d836");
    let e = parse_checked(&headers, &body, Some(HOOK_SECRET)).unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (
            ErrorKind::Auth,
            "webhook rejected: the signature does not match the body"
        )
    );
    // Header names are read in any case.
    let lower = vec![(
        "x-hub-signature-256".to_owned(),
        "sha256=ca0d3423590e53d4b0a18564fa045ef5550dcb4cf93152ac80d0efbcf0a90d2e".to_owned(),
    )];
    assert!(verify(&lower, &body, HOOK_SECRET).is_ok());
}

/// A delivery of one change, as Meta posts template fields (pywa's fixture shapes).
fn delivery(field: &str, value: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "time": 1751247600, "changes": [{"value": value, "field": field}]}]
    }))
    .unwrap()
}

#[test]
fn category_and_quality_updates_become_their_events() {
    let body = delivery(
        "template_category_update",
        serde_json::json!({"message_template_id": 1689556908129835u64, "message_template_name": "order_confirmation",
            "message_template_language": "en-US", "previous_category": "UTILITY", "new_category": "MARKETING"}),
    );
    let events = parse(&body).unwrap();
    assert_eq!(
        events[0].body,
        EventBody::TemplateCategory {
            template_id: Some(TemplateId::new("1689556908129835")),
            name: Some("order_confirmation".into()),
            language: Some("en_US".into()),
            category: "MARKETING".into(),
            previous: Some("UTILITY".into()),
            upcoming: None,
            at: Some(1751247600),
        }
    );
    // The notice a day ahead: the category now, and the one it will get.
    let notice = delivery(
        "template_category_update",
        serde_json::json!({"message_template_id": 1, "message_template_name": "a", "message_template_language": "en_US",
            "new_category": "UTILITY", "correct_category": "MARKETING"}),
    );
    let e = &parse(&notice).unwrap()[0];
    assert!(
        matches!(&e.body, EventBody::TemplateCategory { category, upcoming: Some(u), .. } if category == "UTILITY" && u == "MARKETING")
    );
    assert_ne!(e.dedupe_key(), events[0].dedupe_key());

    let body = delivery(
        "message_template_quality_update",
        serde_json::json!({"previous_quality_score": "GREEN", "new_quality_score": "YELLOW",
            "message_template_id": 1689556908129835u64, "message_template_name": "order_confirmation",
            "message_template_language": "en_US"}),
    );
    let events = parse(&body).unwrap();
    assert!(
        matches!(&events[0].body, EventBody::TemplateQuality { quality, previous: Some(p), at: Some(1751247600), .. } if quality == "YELLOW" && p == "GREEN")
    );
    assert_eq!(events[0].raw["field"], "message_template_quality_update");
}

#[test]
fn account_errors_and_unknown_fields_are_kept_whole() {
    let body = delivery(
        "messages",
        serde_json::json!({"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
            "errors": [{"code": 131000, "title": "Something went wrong"}]}),
    );
    let events = parse(&body).unwrap();
    assert_eq!(
        events[0].body,
        EventBody::Other {
            kind: "messages.errors".into()
        }
    );
    assert_eq!(events[0].raw["value"]["errors"][0]["code"], 131000);
    let other = parse(&delivery(
        "account_update",
        serde_json::json!({"event": "VERIFIED_ACCOUNT"}),
    ))
    .unwrap();
    assert_eq!(
        other[0].body,
        EventBody::Other {
            kind: "account_update".into()
        }
    );
}

#[test]
fn a_status_without_its_id_is_kept_as_unreadable_and_the_others_read() {
    let body = delivery(
        "messages",
        serde_json::json!({"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
            "statuses": [{"status": "delivered"}, {"id": "wamid.1", "status": "read", "timestamp": "1750000000"}]}),
    );
    let events = parse(&body).unwrap();
    assert_eq!(
        events[0].body,
        EventBody::Unreadable {
            error: "a status without its message id or status".into()
        }
    );
    assert_eq!(
        events[0].raw["value"]["statuses"],
        serde_json::json!([{"status": "delivered"}])
    );
    assert!(
        matches!(&events[1].body, EventBody::MessageStatus { message_id, status: MessageStatus::Read, .. } if message_id == "wamid.1")
    );
}
