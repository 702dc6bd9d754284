//! Meta's signatures against the vectors of the project's Meta spec: `appsecret_proof` (§1.4,
//! made-up secret and token, computed with Python `hmac` and `openssl dgst`) and the two signed
//! webhook deliveries (§7.7, kept byte for byte in `tests/data/vendor/meta-spec/`).

use wabakit_meta::sign::{appsecret_proof, appsecret_proof_at, body_signature, signature_matches};

const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const ACCESS_TOKEN: &str = "EAAGm0PX4ZCpsBAExampleSystemUserToken0123456789";

#[test]
fn appsecret_proof_plain_and_timed_match_the_spec_vectors() {
    assert_eq!(
        appsecret_proof(APP_SECRET, ACCESS_TOKEN),
        "4a03d9f196794959ba57dc9768695f72e20408b93b25c744ee598c106a511412"
    );
    assert_eq!(
        appsecret_proof_at(APP_SECRET, ACCESS_TOKEN, 1_751_247_600),
        "6dc0cec744c56a63a120440e2ffe2c022f214ce862b447fe53688a9a1ebf2986"
    );
}

/// The app secret of both signed examples.
const HOOK_SECRET: &str = "6f1d9c3a8b7e4f20a5c1d2e3f4a5b6c7";

fn signed_examples() -> [(Vec<u8>, &'static str); 2] {
    let body = |n: &str| wabakit_testdata::text(&format!("meta-spec/{n}")).into_bytes();
    [
        (
            body("webhook-1-statuses.json"),
            "sha256=11501eff16a4808b4f530896327314bc776676b0b9e3de61810c2e7c8096d836",
        ),
        (
            body("webhook-2-template-status.json"),
            "sha256=ca0d3423590e53d4b0a18564fa045ef5550dcb4cf93152ac80d0efbcf0a90d2e",
        ),
    ]
}

#[test]
fn both_signed_webhook_examples_verify_and_sign_to_their_header() {
    let lengths: Vec<usize> = signed_examples().iter().map(|(b, _)| b.len()).collect();
    assert_eq!(
        lengths,
        [1071, 549],
        "the bodies are the spec's bytes exactly"
    );
    for (body, header) in signed_examples() {
        assert_eq!(body_signature(HOOK_SECRET, &body), header);
        assert!(signature_matches(HOOK_SECRET, &body, header));
        // Meta sends lower case; either case of the digest is the same digest.
        let upper = format!("sha256={}", header["sha256=".len()..].to_uppercase());
        assert!(signature_matches(HOOK_SECRET, &body, &upper));
    }
}

#[test]
fn a_changed_body_a_wrong_secret_or_a_malformed_header_does_not_verify() {
    for (body, header) in signed_examples() {
        let mut flipped = body.clone();
        flipped[10] ^= 0x01;
        assert!(!signature_matches(HOOK_SECRET, &flipped, header));
        let mut newline = body.clone();
        newline.push(b'\n');
        assert!(!signature_matches(HOOK_SECRET, &newline, header));
        // A pretty-printed re-serialisation of the same JSON is another body.
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let pretty = serde_json::to_vec_pretty(&v).unwrap();
        assert!(!signature_matches(HOOK_SECRET, &pretty, header));
        assert!(!signature_matches("another-secret", &body, header));
        let digest = &header["sha256=".len()..];
        for bad in [
            digest.to_owned(),                   // no prefix
            format!("sha1={digest}"),            // another algorithm
            format!("sha256={}", &digest[..63]), // 63 digits
            format!("sha256={digest}0"),         // 65 digits
            format!("sha256=0x{}", &digest[..62]),
            format!("sha256={}g", &digest[..63]), // not hex
            String::new(),
        ] {
            assert!(!signature_matches(HOOK_SECRET, &body, &bad), "{bad:?}");
        }
    }
}
