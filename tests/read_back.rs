//! `get_template` answers alike on every provider: the template's body as the vendor keeps it,
//! read back by a client that never saw it (NXCloud's getTemplate passes Meta's template object
//! through, its TTL included; cams' GetChatappTemplateDetail returns its Components and Example).

use serde_json::json;
use wabakit::alibaba::fake::{FakeCams, FakeOptions as CamsOptions};
use wabakit::alibaba::AlibabaProvider;
use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions as NxOptions};
use wabakit::nxcloud::NxcloudProvider;
use wabakit::*;

/// Templates every provider can express, each as it is written.
fn templates() -> Vec<Template> {
    let docs = [
        json!({"name": "read_order", "language": "en_US", "category": "UTILITY", "message_send_ttl_seconds": 3600,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["1234"]}},
            {"type": "BODY", "text": "Order {{1}} ships {{2}}.", "example": {"body_text": [["1234", "today"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Track"},
                {"type": "URL", "text": "Open", "url": "https://shop.example/o/{{1}}", "example": ["https://shop.example/o/1234"]},
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+8613800000000"}
            ]}
        ]}),
        json!({"name": "read_media", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"custom_header_handle_url": "https://cdn.example/a.png"}},
            {"type": "BODY", "text": "Hi {{1}}, our sale is on.", "example": {"body_text": [["Ana"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE25"},
                                            {"type": "FLOW", "text": "Go", "flow_id": "1", "flow_action": "navigate", "navigate_screen": "S"}]}
        ]}),
        json!({"name": "read_otp", "language": "en_US", "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 5},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}
        ]}),
    ];
    docs.iter()
        .map(|d| Template::from_value(d).unwrap())
        .collect()
}

async fn read_back(name: &str, writer: &dyn Provider, reader: &dyn Provider) {
    for t in templates() {
        writer
            .create_template(&t)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = reader
            .get_template(&TemplateQuery::by_name(&t.name, &t.language))
            .await
            .unwrap_or_else(|e| panic!("{name} {}: {e}", t.name));
        assert_eq!(info.template.as_ref(), Some(&t), "{name}: {}", t.name);
    }
}

#[tokio::test]
async fn get_template_answers_the_body_on_every_provider() {
    let memory = MemoryProvider::new();
    read_back("memory", &memory, &memory).await;

    let nx = FakeNxcloud::start(NxOptions::default()).await.unwrap();
    let writer = NxcloudProvider::new(nx.client_config()).unwrap();
    let reader = NxcloudProvider::new(nx.client_config()).unwrap();
    read_back("nxcloud", &writer, &reader).await;

    let cams = FakeCams::start(CamsOptions::default()).await.unwrap();
    let writer = AlibabaProvider::new(cams.client_config()).unwrap();
    let reader = AlibabaProvider::new(cams.client_config()).unwrap();
    read_back("alibaba", &writer, &reader).await;
}
