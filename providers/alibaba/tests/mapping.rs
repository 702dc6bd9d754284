//! Neutral templates → cams `Components`, byte for byte as the official SDK sent them
//! (vectors), plus fixtures written from the field lists of spec §6.2 (carousel, offer).

use serde_json::{json, Value};
use wabakit_alibaba::{mapping, AlibabaConfig, AlibabaProvider, Placement, SignatureVersion};
use wabakit_core::*;

/// Every captured SDK request (`vectors/alibaba_requests.json`).
fn cases() -> Vec<Value> {
    let doc = wabakit_testdata::json("vectors/alibaba_requests.json");
    doc["cases"].as_array().unwrap().clone()
}

/// A provider with the vectors' credentials and endpoint.
fn as_captured(signature: SignatureVersion, placement: Placement) -> AlibabaProvider {
    let mut cfg = AlibabaConfig::builder()
        .access_key_id("testAccessKeyId")
        .access_key_secret("testAccessKeySecret")
        .cust_space_id("cams-8c8d****")
        .from("6580000000")
        .endpoint("http://127.0.0.1:18080")
        .build()
        .unwrap();
    cfg.signature = signature;
    cfg.template_params = placement;
    AlibabaProvider::new(cfg).unwrap()
}

fn vector(name: &str) -> Value {
    cases().into_iter().find(|c| c["name"] == name).unwrap()
}

fn params(name: &str) -> Value {
    let v = vector(name);
    let s = &v["signing"];
    s.get("api_params_decoded")
        .or_else(|| s.get("signed_params_decoded"))
        .cloned()
        .unwrap()
}

/// `Components` and `Example` as the SDK sent them in vector `case`, byte for byte.
fn assert_components_and_example(tpl: &Template, case: &str) {
    let want = params(case);
    assert_eq!(
        mapping::components(tpl).to_string(),
        want["Components"].as_str().unwrap(),
        "{case}: Components"
    );
    assert_eq!(
        mapping::example(tpl).unwrap().to_string(),
        want["Example"].as_str().unwrap(),
        "{case}: Example"
    );
}

fn t(v: Value) -> Template {
    Template::from_value(&v).unwrap_or_else(|p| panic!("{p:?}"))
}

#[test]
fn header_body_footer_and_quick_replies() {
    let tpl = wabakit_conformance::four_components();
    assert!(tpl.validate().is_empty());
    assert_components_and_example(&tpl, "v3_modify_header_body_footer_quick_replies");
}

/// Seed 003 requires a ONE_TAP button's own `PackageName` and `SignatureHash`; the 5.3.1 SDK
/// (whose request is the vector) sends `SupportedApps`, calling the pair deprecated. One app:
/// both forms, so that either reading finds it; several apps: `SupportedApps` only.
#[test]
fn seed_003_authentication_one_tap_sends_both_forms_for_one_app() {
    let tpl = t(json!({
        "name": "otp", "language": "en", "category": "AUTHENTICATION", "message_send_ttl_seconds": 300,
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 5},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy code", "autofill_text": "Autofill",
                "supported_apps": [{"package_name": "com.example.app", "signature_hash": "K8a/AINcGX7"}]}]}
        ]
    }));
    assert!(tpl.validate().is_empty());
    let sdk = params("v3_modify_auth_one_tap")["Components"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        mapping::components(&tpl),
        sdk.replace(
            r#""AutofillText":"Autofill","SupportedApps""#,
            r#""AutofillText":"Autofill","PackageName":"com.example.app","SignatureHash":"K8a/AINcGX7","SupportedApps""#
        )
    );
    // The older package_name + signature_hash pair becomes the same SupportedApps.
    let older = t(json!({
        "name": "otp", "language": "en", "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 5},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy code", "autofill_text": "Autofill",
                "package_name": "com.example.app", "signature_hash": "K8a/AINcGX7"}]}
        ]
    }));
    assert_eq!(mapping::components(&older), mapping::components(&tpl));
    // Two apps: only SupportedApps can name them.
    let two = t(json!({
        "name": "otp", "language": "en", "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy code", "autofill_text": "Autofill",
                "supported_apps": [{"package_name": "com.example.app", "signature_hash": "K8a/AINcGX7"},
                                   {"package_name": "com.example.lite", "signature_hash": "Zz9/lite000"}]}]}
        ]
    }));
    assert!(two.validate().is_empty());
    assert_eq!(
        mapping::components(&two),
        r#"[{"AddSecretRecommendation":true,"Buttons":[],"Cards":[],"Type":"BODY"},{"Buttons":[{"AutofillText":"Autofill","SupportedApps":[{"PackageName":"com.example.app","SignatureHash":"K8a/AINcGX7"},{"PackageName":"com.example.lite","SignatureHash":"Zz9/lite000"}],"Text":"Copy code","Type":"ONE_TAP"}],"Cards":[],"Type":"BUTTONS"}]"#
    );
}

#[test]
fn viber_template() {
    let tpl = t(json!({
        "name": "viber_sale", "language": "en", "category": "MARKETING", "channel": "viber",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"custom_header_handle_url": "https://img.example.com/banner.png"}},
            {"type": "BODY", "text": "Big sale this weekend"},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Visit", "url": "https://example.com"}]}
        ]
    }));
    assert!(tpl.validate().is_empty());
    assert_eq!(
        mapping::components(&tpl).to_string(),
        params("v3_modify_viber")["Components"].as_str().unwrap()
    );
}

/// The create vector: document header with caption and file name, phone and dynamic URL buttons.
/// (Its body ends with a variable, which WhatsApp rejects, so it is mapped without validation.)
#[test]
fn document_header_phone_and_dynamic_url() {
    let tpl = t(json!({
        "name": "order_update_v2", "language": "en", "category": "UTILITY", "message_send_ttl_seconds": 600,
        "components": [
            {"type": "HEADER", "format": "DOCUMENT", "caption": "Your invoice", "filename": "invoice.pdf",
             "example": {"custom_header_handle_url": "https://files.example.com/invoice.pdf"}},
            {"type": "BODY", "text": "Order {{1}} total {{2}}", "example": {"body_text": [["A-1001", "$9.99"]]}},
            {"type": "FOOTER", "text": "Thanks"},
            {"type": "BUTTONS", "buttons": [
                {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+6560000000"},
                {"type": "URL", "text": "Track", "url": "https://t.example.com/{{1}}", "example": ["https://t.example.com/A-1001"]}
            ]}
        ]
    }));
    assert_components_and_example(&tpl, "v3_create_template");
}

/// Written from spec §6.2's field lists: Card → CardComponents; card buttons carry no
/// SupportedApps; every component and card component carries its Buttons list.
#[test]
fn carousel_and_limited_time_offer() {
    let card = |n: u32| {
        json!({"components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"custom_header_handle_url": format!("https://img.example.com/{n}.png")}},
            {"type": "BODY", "text": format!("Plant number {n}")},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "More like this"},
                {"type": "URL", "text": "Shop", "url": format!("https://shop.example/p/{n}")}
            ]}
        ]})
    };
    let tpl = t(json!({
        "name": "plants", "language": "en_US", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Rare succulents for {{1}}!", "example": {"body_text": [["Pablo"]]}},
                       {"type": "CAROUSEL", "cards": [card(1), card(2)]}]
    }));
    assert!(tpl.validate().is_empty(), "{:?}", tpl.validate());
    let card_json = |n: u32| {
        format!(
            r#"{{"CardComponents":[{{"Buttons":[],"Format":"IMAGE","Type":"HEADER","Url":"https://img.example.com/{n}.png"}},{{"Buttons":[],"Text":"Plant number {n}","Type":"BODY"}},{{"Buttons":[{{"Text":"More like this","Type":"QUICK_REPLY"}},{{"Text":"Shop","Type":"URL","Url":"https://shop.example/p/{n}"}}],"Type":"BUTTONS"}}]}}"#
        )
    };
    assert_eq!(
        mapping::components(&tpl).to_string(),
        format!(
            r#"[{{"Buttons":[],"Cards":[],"Text":"Rare succulents for {{{{1}}}}!","Type":"BODY"}},{{"Buttons":[],"Cards":[{},{}],"Type":"CAROUSEL"}}]"#,
            card_json(1),
            card_json(2)
        )
    );
    let offer = t(json!({
        "name": "deal", "language": "en_US", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Deal of the day for you."},
                       {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Ends soon", "has_expiration": true}},
                       {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "DEAL10"}]}]
    }));
    assert!(offer.validate().is_empty(), "{:?}", offer.validate());
    assert_eq!(
        mapping::components(&offer).to_string(),
        r#"[{"Buttons":[],"Cards":[],"Text":"Deal of the day for you.","Type":"BODY"},{"Buttons":[],"Cards":[],"HasExpiration":true,"Text":"Ends soon","Type":"LIMITED_TIME_OFFER"},{"Buttons":[{"CouponCode":"DEAL10","SupportedApps":[],"Type":"COPY_CODE"}],"Cards":[],"Type":"BUTTONS"}]"#
    );
}

/// Every field cams takes, set at once (mapped without validation: no real template has them
/// all): each key is sent, and in the SDK's alphabetical order.
#[test]
fn every_field_in_alphabetical_order() {
    let tpl = t(json!({
        "name": "all", "language": "en", "category": "MARKETING", "channel": "viber",
        "components": [
            {"type": "HEADER", "format": "VIDEO", "caption": "c", "filename": "f.mp4", "thumb_url": "https://x/t.png",
             "duration": 30, "file_type": "mp4", "example": {"custom_header_handle_url": "https://x/v.mp4"}},
            {"type": "BODY", "text": "Hello there", "add_security_recommendation": true},
            {"type": "FOOTER", "text": "bye", "code_expiration_minutes": 5},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Stop", "is_opt_out": true},
                {"type": "FLOW", "text": "Go", "flow_id": "f1", "navigate_screen": "S", "flow_action": "NAVIGATE"},
                {"type": "OTP", "otp_type": "ZERO_TAP", "text": "Copy", "autofill_text": "Fill",
                 "supported_apps": [{"package_name": "com.x", "signature_hash": "h"}]},
                {"type": "COPY_CODE", "example": "C1"},
                {"type": "URL", "text": "Open", "url": "https://x/{{1}}", "example": ["https://x/1"]},
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+6560000000"}
            ]}
        ]
    }));
    let got = mapping::components(&tpl);
    // serde_json's map keeps keys sorted: re-serializing yields them in alphabetical order.
    let sorted: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got, sorted.to_string());
    for key in [
        "AddSecretRecommendation",
        "AutofillText",
        "Caption",
        "CodeExpirationMinutes",
        "CouponCode",
        "Duration",
        "FileName",
        "FileType",
        "FlowAction",
        "FlowId",
        "IsOptOut",
        "NavigateScreen",
        "PackageName",
        "PhoneNumber",
        "SignatureHash",
        "ThumbUrl",
        "UrlType",
    ] {
        assert!(
            got.contains(&format!("\"{key}\":")),
            "{key} missing from {got}"
        );
    }
}

/// Eleven variables: `Example` and `TemplateParams` keys come in string order (`"1"`, `"10"`,
/// `"11"`, `"2"`), as the SDK's dict sends them, and values are JSON-escaped.
#[test]
fn numbered_values_in_string_order() {
    let text: String = (1..=11)
        .map(|i| format!("a {{{{{i}}}}} "))
        .collect::<String>()
        + "end";
    let samples: Vec<String> = (1..=11).map(|i| format!("v{i}")).collect();
    let mut tpl = t(json!({
        "name": "eleven", "language": "en", "category": "UTILITY",
        "components": [{"type": "BODY", "text": text, "example": {"body_text": [samples]}}]
    }));
    let order = r#"{"1":"v1","10":"v10","11":"v11","2":"v2","3":"v3","4":"v4","5":"v5","6":"v6","7":"v7","8":"v8","9":"v9"}"#;
    assert_eq!(mapping::example(&tpl).unwrap(), order);
    let mut m = TemplateMessage::new("8613900000000", "eleven", "en");
    let mut values = samples.clone();
    values[1] = "say \"hi\"".into();
    m.body = Params::Positional(values.into_iter().map(BodyValue::from).collect());
    let (params, payload) = mapping::message_params(&m, None).unwrap();
    assert_eq!(
        params.unwrap(),
        order.replace(r#""2":"v2""#, r#""2":"say \"hi\"""#)
    );
    assert_eq!(payload, None);
    // No body samples: no Example at all.
    if let Component::Body(b) = &mut tpl.components[0] {
        b.example = None;
    }
    assert_eq!(mapping::example(&tpl), None);
}

/// The whole request, rendered at the vector's date and nonce, with the parameters in a form
/// body as SDK 5.3.0 sends them: same body bytes; signed over the doc's header set.
#[test]
fn rendered_modify_matches_the_form_body_capture() {
    let v = vector("sdk530_v1_modify_header_body_footer_quick_replies");
    let p = as_captured(SignatureVersion::V1, Placement::Body);
    let at = Pinned {
        unix_millis: 1_736_929_800_000,
        nonce: v["inputs"]["nonce"].as_str().unwrap().into(),
    };
    let req = p
        .render(
            &Operation::UpdateTemplate(
                TemplateId::new("744c4b5c79c9432497a075bdfca3****"),
                wabakit_conformance::four_components(),
            ),
            &at,
        )
        .unwrap();
    let sent = v["captured"]["body"].as_str().unwrap();
    // The Python SDK writes booleans as True; wabakit writes true (spec §2.3).
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        sent.replace("CategoryChangePaused=True", "CategoryChangePaused=true")
    );
    let query = req.url.split_once('?').unwrap().1;
    let mut got = wabakit_alibaba::encode::parse_pairs(query);
    got.extend(wabakit_alibaba::encode::parse_pairs(
        std::str::from_utf8(&req.body).unwrap(),
    ));
    let signature = got
        .iter()
        .find(|(k, _)| k == "Signature")
        .unwrap()
        .1
        .clone();
    let recomputed = wabakit_alibaba::sign_v1("POST", &got, "testAccessKeySecret");
    assert_eq!(signature, recomputed.signature);
    assert_eq!(
        got.iter().find(|(k, _)| k == "Timestamp").unwrap().1,
        "2025-01-15T08:30:00Z"
    );
}

#[test]
fn endpoint_from_region_and_default_signed_headers() {
    let cfg = AlibabaConfig::builder()
        .access_key_id("ak")
        .access_key_secret("sk")
        .cust_space_id("cams-1")
        .from("6580000000")
        .build()
        .unwrap();
    assert_eq!(cfg.base_url(), "https://cams.ap-southeast-1.aliyuncs.com");
    let mut other = cfg.clone();
    other.region = "cn-hangzhou".into();
    assert_eq!(other.base_url(), "https://cams.cn-hangzhou.aliyuncs.com");
    assert_eq!(
        cfg.clone()
            .with_endpoint("cams.example.internal")
            .base_url(),
        "https://cams.example.internal"
    );

    let p = AlibabaProvider::new(cfg).unwrap();
    let at = Pinned {
        unix_millis: 1_736_929_800_000,
        nonce: "0c6f4a7e9b2d4f1a8e3c5b7d9f1a2c4e".into(),
    };
    let req = p
        .render(
            &Operation::CreateTemplate(wabakit_conformance::four_components()),
            &at,
        )
        .unwrap();
    assert_eq!(req.url, "https://cams.ap-southeast-1.aliyuncs.com/");
    assert_eq!(req.header("host"), Some("cams.ap-southeast-1.aliyuncs.com"));
    assert_eq!(req.header("x-acs-date"), Some("2025-01-15T08:30:00Z"));
    let auth = req.header("Authorization").unwrap();
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"),
        "{auth}"
    );
}

/// Every request the 5.3.1 SDK sent with its parameters in the query: given the same decoded
/// parameters, date and nonce, the rendered URL is the SDK's request target byte for byte.
#[test]
fn query_requests_have_the_sdks_request_targets() {
    let p = as_captured(SignatureVersion::V3, Placement::Query);
    let mut checked = 0;
    for c in cases() {
        let name = c["name"].as_str().unwrap();
        if !name.starts_with("v3_") || c["signing"]["api_params_location"] != "query" {
            continue;
        }
        let mut params: Vec<wabakit_alibaba::Pair> = c["signing"]["api_params_decoded"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone().into(), v.as_str().unwrap().to_owned().into()))
            .collect();
        params.sort();
        let action =
            wabakit_alibaba::Action::from_name(c["inputs"]["action"].as_str().unwrap()).unwrap();
        let req = p.sign(
            &wabakit_alibaba::Prepared::new(action, params),
            1_736_929_800_000,
            c["inputs"]["nonce"].as_str().unwrap(),
        );
        assert_eq!(
            req.url,
            format!(
                "http://127.0.0.1:18080{}",
                c["captured"]["request_target"].as_str().unwrap()
            ),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 11);
}

/// Seed 003: "CouponCode … 可以传入变量如$(couponCode),在发送时再传入优惠码". A template's coupon
/// code may be the variable `$(couponCode)` (cams takes it; the common rule still wants a
/// literal code), it goes into `Components` as written, and a message's copy_code parameter
/// fills it by name in `TemplateParams`, beside the numbered variables.
#[test]
fn seed_003_coupon_code_variable_is_filled_at_send_time() {
    let tpl = t(json!({
        "name": "coupon", "language": "en", "category": "MARKETING",
        "components": [
            {"type": "BODY", "text": "Hi {{1}}, here is your code.", "example": {"body_text": [["Ana"]]}},
            {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "$(couponCode)"}]}
        ]
    }));
    let cams = as_captured(SignatureVersion::V3, Placement::Query);
    assert_eq!(cams.validate(&tpl), vec![]);
    assert_eq!(
        tpl.validate().iter().map(|p| p.rule).collect::<Vec<_>>(),
        ["button.copy_code.example"],
        "a provider that takes no variables wants a literal code"
    );
    assert!(mapping::components(&tpl)
        .contains(r#"{"CouponCode":"$(couponCode)","SupportedApps":[],"Type":"COPY_CODE"}"#));
    let m = TemplateMessage::from_value(
        &json!({"to": "8613900000000", "template": "coupon", "language": "en",
        "body": ["Ana"], "buttons": [{"index": 0, "type": "copy_code", "coupon_code": "SAVE25"}]}),
    )
    .unwrap();
    let (params, _) = mapping::message_params(&m, Some(&tpl)).unwrap();
    assert_eq!(
        params.as_deref(),
        Some(r#"{"1":"Ana","couponCode":"SAVE25"}"#)
    );
    // Without the template the variable's name is unknown: said, not guessed.
    let e = mapping::message_params(&m, None).unwrap_err();
    assert_eq!(e.problems()[0].path, "buttons[0]");
    assert!(e.problems()[0].message.contains("$(couponCode)"), "{e}");
    // A fixed code cannot be replaced by a message.
    let fixed = t(json!({
        "name": "coupon", "language": "en", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Hi {{1}}, here is your code.", "example": {"body_text": [["Ana"]]}},
                       {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE25"}]}]
    }));
    let e = mapping::message_params(&m, Some(&fixed)).unwrap_err();
    assert!(e.problems()[0].message.contains("fixed"), "{e}");
}

/// Seed 003: Modify's `Category` is the *Viber* template category ("此属性只对 Viber 类型模板有效":
/// text, image, text_image_button, text_button, document, video, text_video, text_video_button,
/// text_image). A Viber template without `viber_category` gets the one its components make; a
/// WhatsApp category is never sent for it.
#[test]
fn seed_003_viber_category_from_components() {
    let header = |format: &str| {
        let url = format!("https://cdn.example/m.{}", format.to_lowercase());
        json!({"type": "HEADER", "format": format, "example": {"custom_header_handle_url": url}})
    };
    let body = json!({"type": "BODY", "text": "Big sale this weekend"});
    let button = json!({"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Visit", "url": "https://example.com"}]});
    let empty_body = json!({"type": "BODY"});
    let cases = [
        (vec![body.clone()], "text"),
        (vec![body.clone(), button.clone()], "text_button"),
        (vec![header("IMAGE"), empty_body.clone()], "image"),
        (vec![header("IMAGE"), body.clone()], "text_image"),
        (
            vec![header("IMAGE"), body.clone(), button.clone()],
            "text_image_button",
        ),
        (vec![header("VIDEO"), empty_body.clone()], "video"),
        (vec![header("VIDEO"), body.clone()], "text_video"),
        (
            vec![header("VIDEO"), body.clone(), button.clone()],
            "text_video_button",
        ),
        (vec![header("DOCUMENT"), empty_body.clone()], "document"),
    ];
    let p = as_captured(SignatureVersion::V3, Placement::Query);
    let at = Pinned {
        unix_millis: 1_736_929_800_000,
        nonce: "0c6f4a7e9b2d4f1a8e3c5b7d9f1a2c4e".into(),
    };
    for (components, want) in cases {
        let tpl = t(
            json!({"name": "viber_sale", "language": "en", "channel": "viber", "components": components}),
        );
        assert_eq!(
            mapping::viber_category(&tpl).map(ViberCategory::as_str),
            Some(want),
            "{want}"
        );
        let req = p
            .render(
                &Operation::UpdateTemplate(TemplateId::new("viber0001"), tpl.clone()),
                &at,
            )
            .unwrap_or_else(|e| panic!("{want}: {e}"));
        let query = wabakit_alibaba::encode::parse_pairs(req.url.split_once('?').unwrap().1);
        let category: Vec<&str> = query
            .iter()
            .filter(|(k, _)| k == "Category")
            .map(|(_, v)| &**v)
            .collect();
        assert_eq!(category, [want], "{want}");
        // A WhatsApp category on a Viber template is not what cams reads: the Viber kind wins.
        let mut marketing = tpl.clone();
        marketing.category = Some(Category::Marketing);
        assert_eq!(
            mapping::viber_category(&marketing).map(ViberCategory::as_str),
            Some(want)
        );
    }
    // An explicit viber_category is sent as given.
    let explicit = t(
        json!({"name": "v", "language": "en", "channel": "viber", "viber_category": "text_image",
        "components": [header("IMAGE"), body.clone(), button.clone()]}),
    );
    assert_eq!(
        mapping::viber_category(&explicit),
        Some(ViberCategory::TextImage)
    );
    // No kind fits a document with text: said, with the field to set.
    let unfit = t(
        json!({"name": "v", "language": "en", "channel": "viber", "components": [header("DOCUMENT"), body]}),
    );
    assert_eq!(mapping::viber_category(&unfit), None);
    let problems = p.validate(&unfit);
    assert_eq!(
        problems
            .iter()
            .map(|x| (x.rule, x.path.as_str()))
            .collect::<Vec<_>>(),
        [("viber.category.components", "viber_category")]
    );
}

/// cams' `TemplateParams` maps variables to strings: a currency or date_time body value is
/// unsupported at its path, never cut to its fallback text without a word.
#[test]
fn typed_body_values_are_unsupported_with_their_paths() {
    let m = TemplateMessage::from_value(
        &json!({"to": "8613900000000", "template": "t", "language": "en",
        "body": [{"type": "date_time", "fallback_value": "May 1"}, "Ana"]}),
    )
    .unwrap();
    let e = mapping::message_params(&m, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(
        e.problems()
            .iter()
            .map(|p| (p.rule, p.path.as_str()))
            .collect::<Vec<_>>(),
        [("unsupported.field", "body[0]")]
    );
}
