//! Per request: validate + map + serialize + sign (a render, which is exactly that), for NXCloud,
//! Alibaba and Meta, for a one-BODY template and the four-component template of the vectors.
//!
//! `cargo bench -p wabakit-bench`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wabakit::{Operation, Provider, TemplateId};
use wabakit_bench::{operations, pinned, providers, without_cams_fields, Providers};
use wabakit_conformance::four_components;

fn requests(c: &mut Criterion) {
    let Providers { nx, ali, meta } = providers();
    let at = pinned();
    for (label, op) in operations() {
        let (nx_name, ali_name) = match op {
            Operation::Send(_) => ("send", "send"),
            _ => ("update_template", "modify_template"),
        };
        let nx_op = without_cams_fields(&op);
        c.bench_function(&format!("nxcloud/{nx_name}/{label}"), |b| {
            b.iter(|| nx.render(black_box(&nx_op), &at).unwrap())
        });
        c.bench_function(&format!("meta/{nx_name}/{label}"), |b| {
            b.iter(|| meta.render(black_box(&nx_op), &at).unwrap())
        });
        c.bench_function(&format!("alibaba/{ali_name}/{label}"), |b| {
            b.iter(|| ali.render(black_box(&op), &at).unwrap())
        });
    }
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
    let params = vec![("Components".into(), comps.into())];
    c.bench_function("alibaba/form_encode/four_components", |b| {
        b.iter(|| wabakit::alibaba::encode::form_pairs(black_box(&params)))
    });
    let modify =
        Operation::UpdateTemplate(TemplateId::new("744c4b5c79c9432497a075bdfca3****"), tpl);
    let signed = ali.render(&modify, &at).unwrap();
    let headers: Vec<wabakit::alibaba::Pair> = signed
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
