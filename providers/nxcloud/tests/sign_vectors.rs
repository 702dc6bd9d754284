//! Every vector of `tests/data/vendor/vectors/nxcloud_sign.json`: string to sign byte for byte, and sign.

use serde_json::Value;
use wabakit_nxcloud::{sign, Algorithm, SignInput};

fn vectors() -> Vec<Value> {
    let doc = wabakit_testdata::json("vectors/nxcloud_sign.json");
    doc["vectors"].as_array().unwrap().clone()
}

#[test]
fn every_vector_reproduces() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 19);
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let i = &v["inputs"];
        let multipart = v["content_type"].as_str() == Some("multipart/form-data");
        let body = i["body_raw"].as_str().map(str::as_bytes);
        let input = SignInput {
            access_key: i["accessKey"].as_str().unwrap(),
            access_secret: i["accessSecret"].as_str().unwrap(),
            ts: i["ts"].as_str().unwrap(),
            biz_type: i["bizType"].as_str().unwrap(),
            action: i["action"].as_str().unwrap(),
            body: if multipart { None } else { body },
            algorithm: Algorithm::parse(i["algorithm"].as_str().unwrap()).unwrap(),
        };
        let s = sign(&input);
        let expected = &v["expected"];
        assert_eq!(
            std::str::from_utf8(s.string_to_sign.as_bytes()).unwrap(),
            expected["string_to_sign"].as_str().unwrap(),
            "{id}: string to sign"
        );
        if let Some(n) = expected["string_to_sign_utf8_bytes"].as_u64() {
            assert_eq!(s.string_to_sign.as_bytes().len() as u64, n, "{id}: length");
        }
        assert_eq!(s.sign, expected["sign"].as_str().unwrap(), "{id}: sign");
        if let Some(h) = v["request_headers"].as_object() {
            assert_eq!(
                h.get("sign").and_then(Value::as_str),
                Some(s.sign.as_str()),
                "{id}: header"
            );
        }
    }
}

#[test]
fn string_to_sign_debug_hides_the_secret() {
    let s = sign(&SignInput {
        access_key: "ak",
        access_secret: "very-secret",
        ts: "1",
        biz_type: "2",
        action: "mt",
        body: Some(b"{}"),
        algorithm: Algorithm::Md5,
    });
    let dbg = format!("{s:?}");
    assert!(!dbg.contains("very-secret"), "{dbg}");
}
