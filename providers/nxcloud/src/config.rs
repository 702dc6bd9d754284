//! NXCloud settings, and the endpoint table: host, path, action and bizType per operation are
//! data with the documented defaults, each overridable.

use std::collections::BTreeMap;

use wabakit_core::parse::reader::Obj;
use wabakit_core::raw::{ProfileReader, Text};
use wabakit_core::{Error, KeyId, Secret, TransportConfig};

use crate::ops::{Host, Op};
use crate::sign::Algorithm;

/// The WhatsApp API's base URL.
pub const DEFAULT_ENDPOINT: &str = "https://api2.nxcloud.com";
/// The SAAS API's base URL.
pub const DEFAULT_SAAS_ENDPOINT: &str = "https://api.nxcloud.com";

/// Everything the NXCloud provider needs. `Debug` never shows the secrets.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct NxcloudConfig {
    /// The `accessKey` header.
    pub access_key: KeyId,
    /// The secret requests are signed with.
    pub access_secret: Secret,
    /// The NXCloud WhatsApp application's key (`appkey` in bodies), not the access key.
    pub app_key: String,
    /// Your WhatsApp sender number, country code first.
    pub business_phone: String,
    /// Base URL of the WhatsApp API (`api2`).
    pub endpoint: String,
    /// Base URL of the SAAS API, used to send when `tenant_id` is set.
    pub saas_endpoint: String,
    /// Send through the SAAS platform (`/saas/wa/send`) as this tenant.
    pub tenant_id: Option<u64>,
    /// MD5 (the default) or SHA-256 signatures.
    pub algorithm: Algorithm,
    /// Create templates with createTemplateAsync: the answer is pending, the outcome comes by
    /// webhook.
    pub async_create: bool,
    /// Secret to verify signed callbacks with (the application's callback signing).
    pub webhook_secret: Option<Secret>,
    /// How far a signed callback's `ts` may be from now, in seconds (60): older ones are
    /// refused as replays.
    pub webhook_window_seconds: u64,
    /// Per-operation overrides of URL, action and bizType, keyed by [`Op::key`].
    pub overrides: BTreeMap<String, EndpointOverride>,
    /// Timeouts, retries, rate limits.
    pub transport: TransportConfig,
}

impl NxcloudConfig {
    /// A config, built by name: `access_key`, `access_secret`, `app_key` and
    /// `business_phone` are required, everything else has its documented default.
    ///
    /// ```
    /// use wabakit_nxcloud::NxcloudConfig;
    ///
    /// let cfg = NxcloudConfig::builder()
    ///     .access_key("ak")
    ///     .access_secret("sk")
    ///     .app_key("app")
    ///     .business_phone("8613800000000")
    ///     .async_create(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(cfg.endpoint, "https://api2.nxcloud.com");
    /// assert!(!format!("{cfg:?}").contains("sk\""));
    /// let e = NxcloudConfig::builder().access_key("ak").build().unwrap_err();
    /// assert_eq!(e.to_string(), "config error: nxcloud: access_secret is missing");
    /// ```
    pub fn builder() -> NxcloudConfigBuilder {
        NxcloudConfigBuilder(NxcloudConfig {
            access_key: KeyId::default(),
            access_secret: Secret::new(""),
            app_key: String::new(),
            business_phone: String::new(),
            endpoint: DEFAULT_ENDPOINT.into(),
            saas_endpoint: DEFAULT_SAAS_ENDPOINT.into(),
            tenant_id: None,
            algorithm: Algorithm::Md5,
            async_create: false,
            webhook_secret: None,
            webhook_window_seconds: crate::callbacks::DEFAULT_WINDOW_MILLIS / 1000,
            overrides: BTreeMap::new(),
            transport: TransportConfig::default(),
        })
    }

    /// The required settings are there (an empty one is missing).
    pub(crate) fn check(&self) -> wabakit_core::Result<()> {
        for (field, value) in [
            ("access_key", self.access_key.as_str()),
            ("access_secret", self.access_secret.expose()),
            ("app_key", &self.app_key),
            ("business_phone", &self.business_phone),
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

    /// Point both APIs at one base URL (a fake server, a proxy).
    pub fn with_endpoint(mut self, base: impl Into<String>) -> Self {
        let base = base.into();
        self.endpoint = base.clone();
        self.saas_endpoint = base;
        self
    }

    /// The settings of a config profile (`provider = "nxcloud"`); problems go to the reader,
    /// which names each key with its profile.
    pub fn from_profile(r: &mut ProfileReader) -> Option<NxcloudConfig> {
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
        let window = r.opt_int("webhook_window_seconds").filter(|s| *s > 0);
        let overrides = r.table("endpoints", |o, p| {
            Op::ALL
                .iter()
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
                .collect::<BTreeMap<_, _>>()
        });
        let transport = r.transport(crate::ops::OWN_OPERATIONS);
        let mut b = NxcloudConfig::builder()
            .access_key(access_key?)
            .access_secret(access_secret?)
            .app_key(app_key?)
            .business_phone(business_phone?)
            .algorithm(algorithm.unwrap_or_default())
            .async_create(async_create.unwrap_or(false))
            .transport(transport);
        // One `endpoint` points every host of NXCloud somewhere (a fake, a proxy), unless the
        // SAAS host is given its own: a sandbox profile never reaches the real SAAS API by
        // accident.
        if let Some(e) = endpoint {
            b = b.endpoint(e);
        }
        if let Some(e) = saas_endpoint {
            b = b.saas_endpoint(e);
        }
        if let Some(t) = tenant_id {
            b = b.tenant_id(t as u64);
        }
        if let Some(s) = webhook_secret {
            b = b.webhook_secret(s);
        }
        if let Some(w) = window {
            b.0.webhook_window_seconds = w as u64;
        }
        b.0.overrides = overrides.unwrap_or_default();
        match b.build() {
            Ok(cfg) => Some(cfg),
            Err(e) => {
                r.invalid(&e);
                None
            }
        }
    }

    /// Where and how `op` is called.
    pub fn resolve(&self, op: Op) -> Resolved {
        let e = op.endpoint();
        let o = self.overrides.get(op.key());
        let base = match e.host {
            Host::Api => &self.endpoint,
            Host::Saas => &self.saas_endpoint,
        };
        Resolved {
            url: o
                .and_then(|o| o.url.clone())
                .unwrap_or_else(|| format!("{}{}", base.trim_end_matches('/'), e.path)),
            action: o
                .and_then(|o| o.action.clone())
                .map_or(Text::Borrowed(e.action), Text::Owned),
            biz_type: o
                .and_then(|o| o.biz_type.clone())
                .map_or(Text::Borrowed(BIZ_TYPE_WHATSAPP), Text::Owned),
        }
    }
}

/// WhatsApp's business line (spec §2.7).
pub const BIZ_TYPE_WHATSAPP: &str = "2";

/// Another URL, action or bizType for one operation than documented.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointOverride {
    /// The full URL to call.
    pub url: Option<String>,
    /// The `action` header.
    pub action: Option<String>,
    /// The `bizType` header.
    pub biz_type: Option<String>,
}

/// Where and how an operation is called, overrides applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The full URL.
    pub url: String,
    /// The documented constants unless overridden: headers of every request.
    pub action: Text,
    /// The `bizType` header.
    pub biz_type: Text,
}

/// Builds an [`NxcloudConfig`] by name; see [`NxcloudConfig::builder`].
#[derive(Clone, Debug)]
pub struct NxcloudConfigBuilder(NxcloudConfig);

impl NxcloudConfigBuilder {
    /// The `accessKey` header.
    pub fn access_key(mut self, v: impl Into<String>) -> Self {
        self.0.access_key = KeyId::from(v.into());
        self
    }

    /// The secret requests are signed with.
    pub fn access_secret(mut self, v: impl Into<Secret>) -> Self {
        self.0.access_secret = v.into();
        self
    }

    /// The WhatsApp application's key (`appkey` in bodies), not the access key.
    pub fn app_key(mut self, v: impl Into<String>) -> Self {
        self.0.app_key = v.into();
        self
    }

    /// The WhatsApp sender number, country code first.
    pub fn business_phone(mut self, v: impl Into<String>) -> Self {
        self.0.business_phone = v.into();
        self
    }

    /// Point both APIs (WhatsApp and SAAS) at one base URL: a fake server, a proxy.
    pub fn endpoint(mut self, base: impl Into<String>) -> Self {
        self.0 = self.0.with_endpoint(base);
        self
    }

    /// The SAAS API's own base URL (after [`Self::endpoint`], which sets both).
    pub fn saas_endpoint(mut self, base: impl Into<String>) -> Self {
        self.0.saas_endpoint = base.into();
        self
    }

    /// Send through the SAAS platform as this tenant.
    pub fn tenant_id(mut self, id: u64) -> Self {
        self.0.tenant_id = Some(id);
        self
    }

    /// MD5 (the default) or SHA-256.
    pub fn algorithm(mut self, a: Algorithm) -> Self {
        self.0.algorithm = a;
        self
    }

    /// Create templates with createTemplateAsync (the outcome comes by webhook).
    pub fn async_create(mut self, on: bool) -> Self {
        self.0.async_create = on;
        self
    }

    /// Verify signed callbacks with this secret.
    pub fn webhook_secret(mut self, s: impl Into<Secret>) -> Self {
        self.0.webhook_secret = Some(s.into());
        self
    }

    /// Call `op` at another URL, action or bizType than documented.
    pub fn endpoint_override(mut self, op: Op, o: EndpointOverride) -> Self {
        self.0.overrides.insert(op.key().to_owned(), o);
        self
    }

    /// Timeouts, retries, rate limits.
    pub fn transport(mut self, t: TransportConfig) -> Self {
        self.0.transport = t;
        self
    }

    /// The config, or a config error naming the first required setting that is missing.
    pub fn build(self) -> wabakit_core::Result<NxcloudConfig> {
        self.0.check()?;
        Ok(self.0)
    }
}
