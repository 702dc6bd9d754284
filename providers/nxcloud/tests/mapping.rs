//! Neutral documents → NXCloud wire bodies: every NXCloud request example in the seeds, and the
//! signing vectors' bodies byte for byte.

use serde_json::{json, Value};
use wabakit_core::{ErrorKind, Operation, Pinned, Provider, Template, TemplateId, TemplateMessage};
use wabakit_nxcloud::{mapping, sign, Algorithm, NxcloudConfig, NxcloudProvider, SignInput};

/// The examples of a vendor page whose file names contain `kind` (`tests/data/vendor/`).
fn examples(seed: &str, kind: &str) -> Vec<Value> {
    wabakit_testdata::names(&format!("seed-{seed}"), "")
        .into_iter()
        .filter(|n| n.contains(kind))
        .map(|n| wabakit_testdata::json(&n))
        .collect()
}

fn upper_enums(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                match (k.as_str(), val) {
                    ("type" | "format" | "category" | "otp_type", Value::String(s)) => {
                        *s = s.to_uppercase()
                    }
                    (_, val) => upper_enums(val),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(upper_enums),
        _ => {}
    }
}

fn cfg_for(example: &Value) -> NxcloudConfig {
    NxcloudConfig::builder()
        .access_key("ak")
        .access_secret("sk")
        .app_key(example["appkey"].as_str().unwrap())
        .business_phone(example["business_phone"].as_str().unwrap())
        .build()
        .unwrap()
}

#[test]
fn create_template_examples_map_to_their_wire_bodies() {
    let exs = examples("002", ".request.");
    assert_eq!(exs.len(), 9);
    for ex in exs {
        let mut doc = json!({});
        for k in ["name", "language", "category", "components"] {
            doc[k] = ex[k].clone();
        }
        let t = Template::from_value(&doc).unwrap();
        let cfg = cfg_for(&ex);
        let wire = serde_json::to_value(mapping::create_template(&cfg, &t)).unwrap();
        let mut expected = ex.clone();
        upper_enums(&mut expected);
        assert_eq!(wire, expected, "{}", ex["name"]);
    }
}

/// Seeds 000 and 001: each updateTemplate example is the body of an update document as written.
/// The category is optional there (seed 000: "模板被拒时可修改类型"; seed 001's example has none):
/// an update without one is accepted and its body has none. (Name and language are the
/// template's; the body names it by id.)
#[test]
fn seed_000_001_update_examples_are_produced_as_written() {
    for prefix in ["000", "001"] {
        let ex = examples(prefix, ".request.").remove(0);
        let mut doc = json!({"name": "otp_test", "language": "en", "components": ex["components"]});
        if let Some(c) = ex.get("category") {
            doc["category"] = c.clone();
        }
        let t = Template::from_value(&doc).unwrap();
        let id = TemplateId::new(ex["template_id"].as_str().unwrap());
        let cfg = cfg_for(&ex);
        let p = NxcloudProvider::new(cfg.clone()).unwrap();
        assert_eq!(p.validate_update(&id, &t), vec![], "{prefix}");
        let wire = serde_json::to_value(mapping::update_template(&cfg, &id, &t)).unwrap();
        assert_eq!(wire, ex, "{prefix}");
    }
    // To create, a category is required.
    let ex = examples("001", ".request.").remove(0);
    let t = Template::from_value(
        &json!({"name": "otp_test", "language": "en", "components": ex["components"]}),
    )
    .unwrap();
    let p = NxcloudProvider::new(cfg_for(&ex)).unwrap();
    assert_eq!(
        p.validate(&t).iter().map(|p| p.rule).collect::<Vec<_>>(),
        ["category.required"]
    );
}

/// The template of seed 004's first example, as its comments describe it: an image header and a
/// body whose variables are {{First Name}}, {{国家}}, {{国家}} again, and {{手机号码}}.
fn seed_004_template() -> Template {
    Template::from_value(&json!({
        "name": "text_template", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4:aW1n"]}},
            {"type": "BODY", "text": "Dear {{1}}, welcome to {{2}}! {{2}} is glad to have you; we will call {{3}} soon.",
             "example": {"body_text": [["David", "China", "86138XXX"]]}}
        ]
    }))
    .unwrap()
}

/// Seed 004: the SAAS send page's examples (the first mended as its provenance note says), each
/// produced from a neutral message as the page writes it. "重复多次的变量也须多次赋值": the user
/// writes one value per variable, and a variable that occurs twice gets its value twice on the
/// wire. The pages mask digits of phone numbers with `x`; recipients are unmasked.
#[test]
fn seed_004_saas_send_examples_are_produced_as_written() {
    let exs: Vec<Value> = [
        "seed-004/saas_send.request.image_header.json",
        "seed-004/saas_send.request.url_buttons.json",
        "seed-004/saas_send.request.copy_code.json",
    ]
    .iter()
    .map(|n| wabakit_testdata::json(n))
    .collect();
    let neutral = [
        json!({"to": "8613600009759", "template": "text_template", "language": "en_US",
               "header": {"type": "image", "link": "https://imglink"},
               "body": ["David", "China", "86138XXX"], "client_ref": "order-1"}),
        json!({"to": "8613600009759", "template": "test_00045", "language": "pt_BR",
               "buttons": [{"index": 0, "type": "url", "text": "85xxxx"}, {"index": 1, "type": "url", "text": "Firstxxxx"}]}),
        json!({"to": "861360000759", "template": "ten_btn4", "language": "en_US",
               "buttons": [{"index": 3, "type": "copy_code", "coupon_code": "123123"}]}),
    ];
    let template = seed_004_template();
    for (i, (ex, doc)) in exs.iter().zip(neutral).enumerate() {
        let m = TemplateMessage::from_value(&doc).unwrap();
        let mut cfg = cfg_for(ex);
        cfg.tenant_id = ex["tenant_id"].as_u64();
        let known = (i == 0).then_some(&template);
        let wire = serde_json::to_value(mapping::send(&cfg, &m, known).unwrap()).unwrap();
        let mut expected = ex.clone();
        expected["to"] = json!(ex["to"].as_str().unwrap().replace('x', "0"));
        // Only the fields seed 004 lists: a client_ref has no place there (no cus_message_id).
        assert_eq!(wire, expected, "{}", ex["template"]["name"]);
    }
    // The same message through `mt` keeps one value per variable and carries the client_ref.
    let m =
        TemplateMessage::from_value(&json!({"to": "8613600009759", "template": "text_template",
        "language": "en_US", "body": ["David", "China", "86138XXX"], "client_ref": "order-1"}))
        .unwrap();
    let mt = serde_json::to_value(mapping::send(&cfg_for(&exs[0]), &m, Some(&template)).unwrap())
        .unwrap();
    assert_eq!(mt["cus_message_id"], "order-1");
    assert_eq!(
        mt["template"]["components"][0]["parameters"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

/// A config with placeholder keys, for bodies that do not depend on them.
fn plain_cfg() -> NxcloudConfig {
    NxcloudConfig::builder()
        .access_key("ak")
        .access_secret("sk")
        .app_key("app")
        .business_phone("8618500008399")
        .build()
        .unwrap()
}

/// Seed 004: the SAAS send carries an image header by link, text body values, and URL and
/// COPY_CODE button values; anything else is unsupported, with its path, never dropped.
#[test]
fn seed_004_what_the_saas_send_cannot_carry_is_unsupported() {
    let mut cfg = plain_cfg();
    cfg.tenant_id = Some(1);
    let m = TemplateMessage::from_value(&json!({"to": "8613600009759", "template": "t", "language": "en_US",
        "header": {"type": "video", "link": "https://cdn.example/v.mp4"},
        "body": {"first_name": "Ana"},
        "buttons": [{"index": 0, "type": "url", "text": "1"}, {"index": 1, "type": "quick_reply", "payload": "p"},
                    {"index": 2, "type": "flow", "flow_token": "t"}],
        "cards": [{"body": ["x"]}]}))
    .unwrap();
    let Err(e) = mapping::send(&cfg, &m, None) else {
        panic!("expected unsupported")
    };
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(
        e.problems()
            .iter()
            .map(|p| (p.rule, p.path.as_str()))
            .collect::<Vec<_>>(),
        [
            ("unsupported.field", "header"),
            ("unsupported.field", "body"),
            ("unsupported.field", "buttons[1]"),
            ("unsupported.field", "buttons[2]"),
            ("unsupported.field", "cards"),
        ]
    );
    let by_id = TemplateMessage::from_value(
        &json!({"to": "8613600009759", "template": "t", "language": "en_US",
        "header": {"type": "image", "id": "media-1"}}),
    )
    .unwrap();
    let Err(e) = mapping::send(&cfg, &by_id, None) else {
        panic!("expected unsupported")
    };
    assert!(e.problems()[0].message.contains("by link"), "{e}");
}

fn vector(id: &str) -> Value {
    wabakit_testdata::json("vectors/nxcloud_sign.json")["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn create_template_body_is_byte_identical_to_the_vector() {
    let v = vector("wa_create_template_nested_arrays");
    let raw = v["inputs"]["body_raw"].as_str().unwrap();
    let example: Value = serde_json::from_str(raw).unwrap();
    let mut doc = json!({});
    for k in ["name", "language", "category", "components"] {
        doc[k] = example[k].clone();
    }
    let t = Template::from_value(&doc).unwrap();
    let body = serde_json::to_vec(&mapping::create_template(&cfg_for(&example), &t)).unwrap();
    assert_eq!(std::str::from_utf8(&body).unwrap(), raw);
    let s = sign(&SignInput {
        access_key: v["inputs"]["accessKey"].as_str().unwrap(),
        access_secret: v["inputs"]["accessSecret"].as_str().unwrap(),
        ts: v["inputs"]["ts"].as_str().unwrap(),
        biz_type: "2",
        action: "createTemplate",
        body: Some(&body),
        algorithm: Algorithm::Md5,
    });
    assert_eq!(s.sign, v["expected"]["sign"].as_str().unwrap());
}

/// The whole signed request of a template message, rendered at the vector's ts: same body
/// bytes, same headers, same sign.
#[test]
fn rendered_send_is_the_vectors_request() {
    let v = vector("wa_mt_template_nested");
    let i = &v["inputs"];
    let cfg = NxcloudConfig::builder()
        .access_key(i["accessKey"].as_str().unwrap())
        .access_secret(i["accessSecret"].as_str().unwrap())
        .app_key("f543ertg")
        .business_phone("8618500008399")
        .build()
        .unwrap();
    let p = NxcloudProvider::new(cfg).unwrap();
    let m = TemplateMessage::from_value(&json!({
        "to": "+86 136 0000 9759", "template": "promo_coupon", "language": "zh_CN",
        "header": {"type": "image", "link": "https://cdn.example.com/img/banner.png"},
        "body": ["王小明", "25%"],
        "buttons": [{"index": 0, "type": "url", "text": "ord/8841?x=1&y=2"},
                    {"index": 1, "type": "copy_code", "coupon_code": "SAVE25"}],
        "client_ref": "order-20240610-0001"
    }))
    .unwrap();
    let ts: u64 = i["ts"].as_str().unwrap().parse().unwrap();
    let req = p
        .render(
            &Operation::Send(m),
            &Pinned {
                unix_millis: ts,
                nonce: String::new(),
            },
        )
        .unwrap();
    assert_eq!(req.url, "https://api2.nxcloud.com/api/wa/mt");
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        i["body_raw"].as_str().unwrap()
    );
    for (k, want) in v["request_headers"].as_object().unwrap() {
        assert_eq!(req.header(k), want.as_str(), "header {k}");
    }
    assert_eq!(
        req.header("algorithm"),
        None,
        "md5 is the default and is not announced"
    );
}

#[test]
fn async_create_and_saas_vectors_match_as_json() {
    let v = vector("wa_create_template_async");
    let raw: Value = serde_json::from_str(v["inputs"]["body_raw"].as_str().unwrap()).unwrap();
    let mut doc = json!({});
    for k in [
        "name",
        "language",
        "category",
        "message_send_ttl_seconds",
        "components",
    ] {
        doc[k] = raw[k].clone();
    }
    let t = Template::from_value(&doc).unwrap();
    assert!(t.validate().is_empty(), "{:?}", t.validate());
    assert_eq!(
        serde_json::to_value(mapping::create_template(&cfg_for(&raw), &t)).unwrap(),
        raw
    );
}

/// NXCloud's pages define text body values only (the `mt` page and seed 004): a currency or
/// date_time value is unsupported at its path, on both sends, rather than sent as Meta's
/// object or cut to its fallback text.
#[test]
fn typed_body_values_are_unsupported_with_their_paths() {
    let mut cfg = plain_cfg();
    let m = TemplateMessage::from_value(&json!({"to": "8613600009759", "template": "t", "language": "en_US",
        "body": ["Ana", {"type": "currency", "fallback_value": "$1.00", "code": "USD", "amount_1000": 1000}],
        "cards": [{"body": [{"type": "date_time", "fallback_value": "May 1"}]}]}))
    .unwrap();
    for saas in [None, Some(1)] {
        cfg.tenant_id = saas;
        let Err(e) = mapping::send(&cfg, &m, None) else {
            panic!("expected unsupported")
        };
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        let got: Vec<_> = e
            .problems()
            .iter()
            .map(|p| (p.rule, p.path.as_str()))
            .filter(|(_, path)| path.contains("body"))
            .collect();
        assert_eq!(
            got,
            [
                ("unsupported.field", "body[1]"),
                ("unsupported.field", "cards[0].body[0]")
            ]
        );
        assert!(
            e.problems()[0].message.contains("\"$1.00\""),
            "{}",
            e.problems()[0].message
        );
    }
}
