use wabakit_alibaba::{AlibabaConfig, AlibabaProvider, Placement, SignatureVersion};

use crate::config::ProfileReader;

pub fn build(r: &mut ProfileReader) -> Option<AlibabaProvider> {
    let access_key_id = r.req_str("access_key_id");
    let access_key_secret = r.secret("access_key_secret", true);
    let security_token = r.secret("security_token", false);
    let region = r.opt_str("region");
    let endpoint = r.opt_str("endpoint");
    let cust_space_id = r.req_str("cust_space_id");
    let from = r.req_str("from");
    let isv_code = r.opt_str("isv_code");
    let signature = r.opt_choice(
        "signature",
        &[("v3", SignatureVersion::V3), ("v1", SignatureVersion::V1)],
    );
    let placement = r.opt_choice(
        "template_params",
        &[("body", Placement::Body), ("query", Placement::Query)],
    );
    let transport = super::transport(r);
    let mut cfg = AlibabaConfig::new(access_key_id?, access_key_secret?, cust_space_id?, from?);
    cfg.security_token = security_token;
    if let Some(region) = region {
        cfg.region = region;
    }
    cfg.endpoint = endpoint;
    cfg.isv_code = isv_code;
    cfg.signature = signature.unwrap_or_default();
    cfg.template_params = placement.unwrap_or_default();
    cfg.transport = transport;
    match AlibabaProvider::new(cfg) {
        Ok(p) => Some(p),
        Err(e) => {
            r.problems
                .push(&"provider".into(), "config.invalid", e.message().to_owned());
            None
        }
    }
}
