//! Per request: validate + map + serialize + sign (a render, which is exactly that), for NXCloud
//! and Alibaba, for a one-BODY template and the four-component template of the vectors.
//!
//! `cargo bench -p wabakit-bench`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wabakit::alibaba::{AlibabaConfig, AlibabaProvider};
use wabakit::nxcloud::{NxcloudConfig, NxcloudProvider};
use wabakit::{Operation, Pinned, Provider, TemplateId};
use wabakit_conformance::{four_components, one_body};

fn requests(c: &mut Criterion) {
    let nx = NxcloudProvider::new(NxcloudConfig::new(
        "nxAK7fq2wz91",
        "nxSK-9f8e7d6c5b4a",
        "f543ertg",
        "8618500008399",
    ))
    .unwrap();
    let ali = AlibabaProvider::new(AlibabaConfig::new(
        "testAccessKeyId",
        "testAccessKeySecret",
        "cams-8c8d****",
        "6580000000",
    ))
    .unwrap();
    let at = Pinned {
        unix_millis: 1_736_929_800_000,
        nonce: "1d7a5b8f0c3e5a2b9f4d6c8e0a2b3d5f".into(),
    };
    for (label, t) in [
        ("one_body", one_body()),
        ("four_components", four_components()),
    ] {
        let modify = Operation::UpdateTemplate(
            TemplateId::new("744c4b5c79c9432497a075bdfca3****"),
            t.clone(),
        );
        c.bench_function(&format!("nxcloud/update_template/{label}"), |b| {
            b.iter(|| nx.render(black_box(&modify), &at).unwrap())
        });
        c.bench_function(&format!("alibaba/modify_template/{label}"), |b| {
            b.iter(|| ali.render(black_box(&modify), &at).unwrap())
        });
    }
    // A template message (SendChatappMessage / the NXCloud send), as `send_many` sends it.
    let mut m = wabakit::TemplateMessage::new("8613900000000", "summer_sale", "en");
    m.body = wabakit::Params::Positional(vec!["Tom".into(), "ORDER-1".into()]);
    m.client_ref = Some("task-1".into());
    let send = Operation::Send(m);
    c.bench_function("nxcloud/send/two_variables", |b| {
        b.iter(|| nx.render(black_box(&send), &at).unwrap())
    });
    c.bench_function("alibaba/send/two_variables", |b| {
        b.iter(|| ali.render(black_box(&send), &at).unwrap())
    });
    // The parts, for reference: validation alone and signing alone.
    let four = four_components();
    c.bench_function("validate/four_components", |b| {
        b.iter(|| black_box(&four).validate())
    });
    let tpl = four_components();
    let comps = wabakit::alibaba::mapping::components(&tpl);
    c.bench_function("alibaba/components_json/four_components", |b| {
        b.iter(|| wabakit::alibaba::mapping::components(black_box(&tpl)))
    });
    let params = vec![("Components".to_owned(), comps)];
    c.bench_function("alibaba/form_encode/four_components", |b| {
        b.iter(|| wabakit::alibaba::encode::form_pairs(black_box(&params)))
    });
    let modify =
        Operation::UpdateTemplate(TemplateId::new("744c4b5c79c9432497a075bdfca3****"), tpl);
    let signed = ali.render(&modify, &at).unwrap();
    let headers: Vec<(String, String)> = signed
        .headers
        .into_iter()
        .filter(|(k, _)| k != "Authorization")
        .collect();
    c.bench_function("alibaba/sign_only/four_components", |b| {
        b.iter(|| {
            wabakit::alibaba::sign_v3(&wabakit::alibaba::V3Input {
                method: "POST",
                query: &[],
                headers: black_box(&headers),
                body: black_box(&signed.body),
                hashed_payload: None,
                access_key_id: "testAccessKeyId",
                access_key_secret: "testAccessKeySecret",
                signed_headers: None,
            })
        })
    });
    let body = vec![b'x'; 1100];
    c.bench_function("nxcloud/sign_only/1100B", |b| {
        b.iter(|| {
            wabakit::nxcloud::sign(&wabakit::nxcloud::SignInput {
                access_key: "ak",
                access_secret: "sk",
                ts: "1718000000000",
                biz_type: "2",
                action: "updateTemplate",
                body: Some(black_box(&body)),
                algorithm: wabakit::nxcloud::Algorithm::Md5,
            })
        })
    });
}

criterion_group!(benches, requests);
criterion_main!(benches);
