//! Alibaba Cloud ChatApp settings. `Debug` never shows the secret or the security token.

use wabakit_core::raw::ProfileReader;
use wabakit_core::{Error, KeyId, Secret, TransportConfig};

/// The cams API version every request names.
pub const API_VERSION: &str = "2020-06-06";
/// The region of the default endpoint.
pub const DEFAULT_REGION: &str = "ap-southeast-1";

/// How requests are signed.
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
    /// A form body (the default).
    #[default]
    Body,
    /// The query string.
    Query,
}

/// Everything the cams provider needs; `Debug` shows no secret. Build it with [`AlibabaConfig::builder`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AlibabaConfig {
    /// The AccessKey id.
    pub access_key_id: KeyId,
    /// The AccessKey secret.
    pub access_key_secret: Secret,
    /// An STS token, with temporary credentials.
    pub security_token: Option<Secret>,
    /// The region (`ap-southeast-1`), for the default endpoint.
    pub region: String,
    /// Base URL; by default `https://cams.<region>.aliyuncs.com`.
    pub endpoint: Option<String>,
    /// The ChatApp instance (ISV sub-customer SpaceId or own instance id).
    pub cust_space_id: String,
    /// The sender: the registered WhatsApp number (or Viber service id).
    pub from: String,
    /// The ISV code, for ISV sub-customers.
    pub isv_code: Option<String>,
    /// V3 (ACS3-HMAC-SHA256, the default) or V1 (HMAC-SHA1).
    pub signature: SignatureVersion,
    /// Where Create and Modify put their parameters.
    pub template_params: Placement,
    /// Timeouts, retries, rate limits.
    pub transport: TransportConfig,
}

impl AlibabaConfig {
    /// A config, built by name: `access_key_id`, `access_key_secret`, `cust_space_id` and
    /// `from` are required, everything else has its documented default.
    ///
    /// ```
    /// use wabakit_alibaba::{AlibabaConfig, SignatureVersion};
    ///
    /// let cfg = AlibabaConfig::builder()
    ///     .access_key_id("LTAI-example")
    ///     .access_key_secret("secret")
    ///     .cust_space_id("cams-0001")
    ///     .from("6580000000")
    ///     .signature(SignatureVersion::V1)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(cfg.base_url(), "https://cams.ap-southeast-1.aliyuncs.com");
    /// let e = AlibabaConfig::builder().build().unwrap_err();
    /// assert_eq!(e.to_string(), "config error: alibaba: access_key_id is missing");
    /// ```
    pub fn builder() -> AlibabaConfigBuilder {
        AlibabaConfigBuilder(AlibabaConfig {
            access_key_id: KeyId::default(),
            access_key_secret: Secret::new(""),
            security_token: None,
            region: DEFAULT_REGION.into(),
            endpoint: None,
            cust_space_id: String::new(),
            from: String::new(),
            isv_code: None,
            signature: SignatureVersion::V3,
            template_params: Placement::Body,
            transport: TransportConfig::default(),
        })
    }

    /// The required settings are there (an empty one is missing).
    pub(crate) fn check(&self) -> wabakit_core::Result<()> {
        for (field, value) in [
            ("access_key_id", self.access_key_id.as_str()),
            ("access_key_secret", self.access_key_secret.expose()),
            ("cust_space_id", &self.cust_space_id),
            ("from", &self.from),
        ] {
            if value.trim().is_empty() {
                return Err(Error::config(format!(
                    "{}: {field} is missing",
                    crate::NAME
                )));
            }
        }
        Ok(())
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
        let mut b = AlibabaConfig::builder()
            .access_key_id(access_key_id?)
            .access_key_secret(access_key_secret?)
            .cust_space_id(cust_space_id?)
            .from(from?)
            .signature(signature.unwrap_or_default())
            .template_params(placement.unwrap_or_default())
            .transport(transport);
        if let Some(t) = security_token {
            b = b.security_token(t);
        }
        if let Some(region) = region {
            b = b.region(region);
        }
        if let Some(e) = endpoint {
            b = b.endpoint(e);
        }
        if let Some(i) = isv_code {
            b = b.isv_code(i);
        }
        match b.build() {
            Ok(cfg) => Some(cfg),
            Err(e) => {
                r.invalid(&e);
                None
            }
        }
    }

    /// Send to this base URL instead of the region's.
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

/// Builds an [`AlibabaConfig`] by name; see [`AlibabaConfig::builder`].
#[derive(Clone, Debug)]
pub struct AlibabaConfigBuilder(AlibabaConfig);

impl AlibabaConfigBuilder {
    /// The AccessKey id.
    pub fn access_key_id(mut self, v: impl Into<String>) -> Self {
        self.0.access_key_id = KeyId::from(v.into());
        self
    }

    /// The AccessKey secret.
    pub fn access_key_secret(mut self, v: impl Into<Secret>) -> Self {
        self.0.access_key_secret = v.into();
        self
    }

    /// An STS token, with temporary credentials.
    pub fn security_token(mut self, v: impl Into<Secret>) -> Self {
        self.0.security_token = Some(v.into());
        self
    }

    /// The region of the default endpoint (`ap-southeast-1`).
    pub fn region(mut self, v: impl Into<String>) -> Self {
        self.0.region = v.into();
        self
    }

    /// A base URL instead of the region's (a fake server, a proxy).
    pub fn endpoint(mut self, base: impl Into<String>) -> Self {
        self.0.endpoint = Some(base.into());
        self
    }

    /// The ChatApp instance (ISV sub-customer SpaceId or own instance id).
    pub fn cust_space_id(mut self, v: impl Into<String>) -> Self {
        self.0.cust_space_id = v.into();
        self
    }

    /// The sender: the registered WhatsApp number (or Viber service id).
    pub fn from(mut self, v: impl Into<String>) -> Self {
        self.0.from = v.into();
        self
    }

    /// The ISV code, for ISV sub-customers.
    pub fn isv_code(mut self, v: impl Into<String>) -> Self {
        self.0.isv_code = Some(v.into());
        self
    }

    /// V3 (the default) or V1.
    pub fn signature(mut self, v: SignatureVersion) -> Self {
        self.0.signature = v;
        self
    }

    /// Where Create and Modify put their parameters.
    pub fn template_params(mut self, v: Placement) -> Self {
        self.0.template_params = v;
        self
    }

    /// Timeouts, retries, rate limits.
    pub fn transport(mut self, t: TransportConfig) -> Self {
        self.0.transport = t;
        self
    }

    /// The config, or a config error naming the first required setting that is missing.
    pub fn build(self) -> wabakit_core::Result<AlibabaConfig> {
        self.0.check()?;
        Ok(self.0)
    }
}
