//! cams receipts → the same neutral events as NXCloud's webhooks; duplicates dropped.

use serde_json::json;
use wabakit_alibaba::callbacks::parse;
use wabakit_core::*;

#[test]
fn status_receipts_with_the_documented_duplicate() {
    // The documentation's own example: one failure pushed twice in a batch.
    let one = json!({"Status": "Failed", "ErrorDescription": "131026:Receiver is incapable of receiving this message(Message Undeliverable.)",
        "MsgFrameType": "template", "TaskId": "202307030171*******9", "From": "86131*******8", "Timestamp": 1691043638000_i64,
        "OriginPhoneNumber": "86130*******8", "TemplateCode": "820561547132813184", "Type": "TEMPLATE", "Language": "id",
        "TemplateName": "wa_otp_v_0_0_3", "To": "86138*******8", "ErrorCode": "131026", "MessageId": "2023078469463703*******3"});
    let events = parse(json!([one, one]).to_string().as_bytes()).unwrap();
    assert_eq!(events.len(), 2);
    match &events[0].body {
        EventBody::MessageStatus {
            message_id,
            client_ref,
            status,
            recipient,
            at,
            errors,
        } => {
            assert_eq!(message_id, "2023078469463703*******3");
            assert_eq!(client_ref.as_deref(), Some("202307030171*******9"));
            assert_eq!(
                (status, recipient.as_deref(), *at),
                (
                    &MessageStatus::Failed,
                    Some("86138*******8"),
                    Some(1_691_043_638)
                )
            );
            assert_eq!(errors, &["131026 131026:Receiver is incapable of receiving this message(Message Undeliverable.)"]);
        }
        other => panic!("{other:?}"),
    }
    let mut d = Dedupe::new(100);
    assert_eq!(d.filter(events).len(), 1, "the duplicate is dropped");
    let read = parse(json!([{"Status": "Read", "MessageId": "m2", "TaskId": "m2", "To": "86138", "Timestamp": 1}]).to_string().as_bytes()).unwrap();
    assert!(matches!(
        &read[0].body,
        EventBody::MessageStatus {
            status: MessageStatus::Read,
            client_ref: None,
            ..
        }
    ));
}

#[test]
fn inbound_receipts_text_and_media() {
    let body = json!([
        {"MessageId": "1000000000000001", "From": "861388888****", "To": "86137888****", "DisplayName": "Mr Liu",
         "Type": "TEXT", "Message": "hello,it's me", "Timestamp": 1662104191973_i64, "Name": "jack"},
        {"MessageId": "1000000000000003", "CustSpaceId": "cams-83m8j9xxxxadc", "From": "+861388888****", "DisplayName": "Mr Liu",
         "NoticeType": "inbound", "To": "+861378886****", "Type": "AUDIO",
         "Message": "{\"filename\":\"File.ogg\",\"animated\":false,\"id\":\"3214520xxxx75431\",\"mimeType\":\"audio/ogg\"}",
         "Timestamp ": 1662104191973_i64, "Name": "jack", "WabaId": "95271863xxxx233"}
    ]);
    let e = parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(
        e[0].body,
        EventBody::Inbound {
            message_id: "1000000000000001".into(),
            from: "861388888****".into(),
            kind: "text".into(),
            text: Some("hello,it's me".into()),
            at: Some(1_662_104_191)
        }
    );
    assert!(
        matches!(&e[1].body, EventBody::Inbound { kind, at: Some(1_662_104_191), .. } if kind == "audio")
    );
    assert_eq!(
        e[1].raw["WabaId"], "95271863xxxx233",
        "unknown fields are kept"
    );
}

#[test]
fn audit_receipts_become_template_status_events() {
    let e = parse(br#"[{"WabaId":"9099999990****","TemplateCode":"744c4b5c79c9432497a075bdfca3****","Language":"en_US","AuditStatus":"fail","Reason":"INVALID_FORMAT"},
                      {"WabaId":"1","TemplateCode":"t2","Language":"en","AuditStatus":"pass","Reason":""},
                      {"WabaId":"1","Type":"phoneQualityUpdate","PhoneNumber":"86","Status":"RED","AuditStatus":""}]"#).unwrap();
    match &e[0].body {
        EventBody::TemplateStatus {
            template_id,
            status,
            reason,
            language,
            ..
        } => {
            assert_eq!(
                template_id.as_ref().map(TemplateId::as_str),
                Some("744c4b5c79c9432497a075bdfca3****")
            );
            assert_eq!(
                (status, reason.as_deref(), language.as_deref()),
                (
                    &TemplateStatus::Rejected,
                    Some("INVALID_FORMAT"),
                    Some("en_US")
                )
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &e[1].body,
        EventBody::TemplateStatus {
            status: TemplateStatus::Approved,
            reason: None,
            ..
        }
    ));
    assert!(matches!(&e[2].body, EventBody::Other { kind } if kind == "phoneQualityUpdate"));
    assert!(parse(b"not json").is_err());
}
