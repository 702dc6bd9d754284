//! Alibaba Cloud ChatApp settings. `Debug` never shows the secret or the security token.

use wabakit_core::raw::ProfileReader;
use wabakit_core::{Secret, TransportConfig};

pub const API_VERSION: &str = "2020-06-06";
pub const DEFAULT_REGION: &str = "ap-southeast-1";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureVersion {
    /// ACS3-HMAC-SHA256, the official SDK's default.
    #[default]
    V3,
    /// The legacy RPC signature (HMAC-SHA1, `SignatureVersion=1.0`).
    V1,
}

/// Where Create/Modify put their parameters: a form body (OpenAPI metadata, most SDKs, SDK
/// ≤ 5.3.0; the default) or the query (SDK 5.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Placement {
    #[default]
    Body,
    Query,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AlibabaConfig {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    /// An STS token, with temporary credentials.
    pub security_token: Option<Secret>,
    pub region: String,
    /// Base URL; by default `https://cams.<region>.aliyuncs.com`.
    pub endpoint: Option<String>,
    /// The ChatApp instance (ISV sub-customer SpaceId or own instance id).
    pub cust_space_id: String,
    /// The sender: the registered WhatsApp number (or Viber service id).
    pub from: String,
    pub isv_code: Option<String>,
    pub signature: SignatureVersion,
    pub template_params: Placement,
    pub transport: TransportConfig,
}

impl AlibabaConfig {
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<Secret>,
        cust_space_id: impl Into<String>,
        from: impl Into<String>,
    ) -> Self {
        AlibabaConfig {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            region: DEFAULT_REGION.into(),
            endpoint: None,
            cust_space_id: cust_space_id.into(),
            from: from.into(),
            isv_code: None,
            signature: SignatureVersion::V3,
            template_params: Placement::Body,
            transport: TransportConfig::default(),
        }
    }

    /// The settings of a config profile (`provider = "alibaba"`); problems go to the reader,
    /// which names each key with its profile.
    pub fn from_profile(r: &mut ProfileReader) -> Option<AlibabaConfig> {
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
        let transport = r.transport(crate::ops::OWN_OPERATIONS);
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
        Some(cfg)
    }

    pub fn with_endpoint(mut self, base: impl Into<String>) -> Self {
        self.endpoint = Some(base.into());
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> String {
        match &self.endpoint {
            Some(e) if e.contains("://") => e.trim_end_matches('/').to_owned(),
            Some(e) => format!("https://{}", e.trim_end_matches('/')),
            None => format!("https://cams.{}.aliyuncs.com", self.region),
        }
    }
}
