use wabakit_core::parse::reader::Obj;
use wabakit_nxcloud::{Algorithm, EndpointOverride, NxcloudConfig, NxcloudProvider, Op};

use crate::config::ProfileReader;

const OPS: [Op; 8] = [
    Op::CreateTemplate,
    Op::CreateTemplateAsync,
    Op::UpdateTemplate,
    Op::GetTemplate,
    Op::DeleteTemplate,
    Op::Send,
    Op::SaasSend,
    Op::UploadTemplateFile,
];

pub fn build(r: &mut ProfileReader) -> Option<NxcloudProvider> {
    let access_key = r.req_str("access_key");
    let access_secret = r.secret("access_secret", true);
    let app_key = r.req_str("app_key");
    let business_phone = r.req_str("business_phone");
    let endpoint = r.opt_str("endpoint");
    let saas_endpoint = r.opt_str("saas_endpoint");
    let tenant_id = r.opt_int("tenant_id");
    let algorithm = r.opt_choice(
        "algorithm",
        &[("md5", Algorithm::Md5), ("sha256", Algorithm::Sha256)],
    );
    let async_create = r.opt_bool("async_create");
    let webhook_secret = r.secret("webhook_secret", false);
    let overrides = r.table("endpoints", |o, p| {
        OPS.iter()
            .filter_map(|op| {
                let at = o.at(op.key());
                let v = o.get(op.key())?;
                let mut e = Obj::new(v, at, p)?;
                let ov = EndpointOverride {
                    url: e.opt_str("url", p),
                    action: e.opt_str("action", p),
                    biz_type: e.opt_str("biz_type", p),
                };
                e.finish(p);
                Some((op.key().to_owned(), ov))
            })
            .collect::<Vec<_>>()
    });
    let transport = super::transport(r);
    let mut cfg = NxcloudConfig::new(access_key?, access_secret?, app_key?, business_phone?);
    // One `endpoint` points every host of NXCloud somewhere (a fake, a proxy), unless the SAAS
    // host is given its own: a sandbox profile never reaches the real SAAS API by accident.
    if let Some(e) = endpoint {
        cfg = cfg.with_endpoint(e);
    }
    if let Some(e) = saas_endpoint {
        cfg.saas_endpoint = e;
    }
    cfg.tenant_id = tenant_id.map(|t| t as u64);
    cfg.algorithm = algorithm.unwrap_or_default();
    cfg.async_create = async_create.unwrap_or(false);
    cfg.webhook_secret = webhook_secret;
    cfg.overrides = overrides.unwrap_or_default().into_iter().collect();
    cfg.transport = transport;
    match NxcloudProvider::new(cfg) {
        Ok(p) => Some(p),
        Err(e) => {
            r.problems
                .push(&"provider".into(), "config.invalid", e.message().to_owned());
            None
        }
    }
}
