//! Meta Cloud API settings: the token and the ids a request names, the app secret that proves
//! the token and signs webhooks, the webhook verify token, the Graph version and base URL.

use wabakit_core::raw::ProfileReader;
use wabakit_core::{Error, Secret, TransportConfig};

/// The Graph API's base URL.
pub const DEFAULT_ENDPOINT: &str = "https://graph.facebook.com";
/// The Graph version requests name: pinned (the version of Meta's OpenAPI file the spec was
/// read from), never "latest", since a call without a version goes to the oldest live one.
pub const DEFAULT_GRAPH_VERSION: &str = "v23.0";

/// How `appsecret_proof` is computed (spec §1.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Proof {
    /// HMAC of `token|unix_time`, sent with `appsecret_time`: Meta's current form, and expires
    /// after five minutes, so each attempt computes its own.
    #[default]
    Timed,
    /// HMAC of the token alone (Meta's Python SDK), for apps that still take it.
    Plain,
}

/// Everything the Meta provider needs. `Debug` never shows the secrets.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct MetaConfig {
    /// A system user access token (`whatsapp_business_management` and
    /// `whatsapp_business_messaging`).
    pub access_token: Secret,
    /// The WhatsApp Business Account id: templates live on it.
    pub waba_id: String,
    /// The business phone number's id: messages are sent from it.
    pub phone_number_id: String,
    /// The Meta app's id, for the Resumable Upload API (media header samples).
    pub app_id: Option<String>,
    /// The app secret: when set, every request carries `appsecret_proof`, and webhook
    /// deliveries must carry a valid `X-Hub-Signature-256`.
    pub app_secret: Option<Secret>,
    /// The webhook subscription's verify token (the `hub.verify_token` challenge).
    pub verify_token: Option<Secret>,
    /// How `appsecret_proof` is computed.
    pub proof: Proof,
    /// The Graph version (`v23.0`).
    pub graph_version: String,
    /// The Graph API's base URL (tests point it at the fake).
    pub endpoint: String,
    /// Timeouts, retries, rate limits.
    pub transport: TransportConfig,
}

impl MetaConfig {
    /// A config, built by name: `access_token`, `waba_id` and `phone_number_id` are required,
    /// everything else has its default.
    ///
    /// ```
    /// use wabakit_meta::MetaConfig;
    ///
    /// let cfg = MetaConfig::builder()
    ///     .access_token("EAAG-token")
    ///     .waba_id("102290129340398")
    ///     .phone_number_id("106540352242922")
    ///     .app_secret("app-secret")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(cfg.graph_version, "v23.0");
    /// let shown = format!("{cfg:?}");
    /// assert!(!shown.contains("EAAG-token") && !shown.contains("app-secret"));
    /// let e = MetaConfig::builder().access_token("t").build().unwrap_err();
    /// assert_eq!(e.to_string(), "config error: meta: waba_id is missing");
    /// ```
    pub fn builder() -> MetaConfigBuilder {
        MetaConfigBuilder(MetaConfig {
            access_token: Secret::new(""),
            waba_id: String::new(),
            phone_number_id: String::new(),
            app_id: None,
            app_secret: None,
            verify_token: None,
            proof: Proof::default(),
            graph_version: DEFAULT_GRAPH_VERSION.into(),
            endpoint: DEFAULT_ENDPOINT.into(),
            transport: TransportConfig::default(),
        })
    }

    /// The required settings are there (an empty one is missing), and the version is one.
    pub(crate) fn check(&self) -> wabakit_core::Result<()> {
        for (field, value) in [
            ("access_token", self.access_token.expose()),
            ("waba_id", &self.waba_id),
            ("phone_number_id", &self.phone_number_id),
        ] {
            if value.trim().is_empty() {
                return Err(Error::config(format!(
                    "{}: {field} is missing",
                    crate::NAME
                )));
            }
        }
        if !is_graph_version(&self.graph_version) {
            return Err(Error::config(format!(
                "{}: graph_version {}",
                crate::NAME,
                not_a_version(&self.graph_version)
            )));
        }
        Ok(())
    }

    /// The settings of a config profile (`provider = "meta"`); problems go to the reader,
    /// which names each key with its profile.
    pub fn from_profile(r: &mut ProfileReader) -> Option<MetaConfig> {
        let access_token = r.secret("access_token", true);
        let waba_id = r.req_str("waba_id");
        let phone_number_id = r.req_str("phone_number_id");
        let app_id = r.opt_str("app_id");
        let app_secret = r.secret("app_secret", false);
        let verify_token = r.secret("verify_token", false);
        let proof = r.opt_choice(
            "appsecret_proof",
            &[("timed", Proof::Timed), ("plain", Proof::Plain)],
        );
        let graph_version = r.opt_str("graph_version");
        let endpoint = r.opt_str("endpoint");
        let transport = r.transport(crate::ops::OWN_OPERATIONS);
        let mut b = MetaConfig::builder()
            .access_token(access_token?)
            .waba_id(waba_id?)
            .phone_number_id(phone_number_id?)
            .proof(proof.unwrap_or_default())
            .transport(transport);
        b.0.app_id = app_id;
        b.0.app_secret = app_secret;
        b.0.verify_token = verify_token;
        match graph_version {
            // Said at its key, not at `provider` as a failed build is.
            Some(v) if !is_graph_version(&v) => {
                let at = "graph_version".into();
                r.problems.push(&at, "config.invalid", not_a_version(&v));
                return None;
            }
            Some(v) => b = b.graph_version(v),
            None => {}
        }
        if let Some(e) = endpoint {
            b = b.endpoint(e);
        }
        match b.build() {
            Ok(cfg) => Some(cfg),
            Err(e) => {
                r.invalid(&e);
                None
            }
        }
    }

    /// The URL of a Graph path (`/{waba_id}/message_templates`), version included.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}/{}{path}",
            self.endpoint.trim_end_matches('/'),
            self.graph_version
        )
    }
}

/// `vNN.N`: a Graph version.
fn is_graph_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|n| n.split_once('.'))
        .is_some_and(|(a, b)| {
            !a.is_empty() && [a, b].iter().all(|p| p.bytes().all(|c| c.is_ascii_digit()))
        })
}

fn not_a_version(v: &str) -> String {
    format!("{v:?} is not a Graph version such as \"{DEFAULT_GRAPH_VERSION}\"")
}

/// Builds a [`MetaConfig`] by name; see [`MetaConfig::builder`].
#[derive(Clone, Debug)]
pub struct MetaConfigBuilder(MetaConfig);

impl MetaConfigBuilder {
    /// The system user access token.
    pub fn access_token(mut self, v: impl Into<Secret>) -> Self {
        self.0.access_token = v.into();
        self
    }

    /// The WhatsApp Business Account id.
    pub fn waba_id(mut self, v: impl Into<String>) -> Self {
        self.0.waba_id = v.into();
        self
    }

    /// The business phone number's id.
    pub fn phone_number_id(mut self, v: impl Into<String>) -> Self {
        self.0.phone_number_id = v.into();
        self
    }

    /// The Meta app's id (for uploading media header samples).
    pub fn app_id(mut self, v: impl Into<String>) -> Self {
        self.0.app_id = Some(v.into());
        self
    }

    /// The app secret: requests carry `appsecret_proof`, webhooks are verified.
    pub fn app_secret(mut self, v: impl Into<Secret>) -> Self {
        self.0.app_secret = Some(v.into());
        self
    }

    /// The webhook subscription's verify token.
    pub fn verify_token(mut self, v: impl Into<Secret>) -> Self {
        self.0.verify_token = Some(v.into());
        self
    }

    /// Timed (the default) or plain `appsecret_proof`.
    pub fn proof(mut self, p: Proof) -> Self {
        self.0.proof = p;
        self
    }

    /// The Graph version (`v23.0`).
    pub fn graph_version(mut self, v: impl Into<String>) -> Self {
        self.0.graph_version = v.into();
        self
    }

    /// The Graph API's base URL: a fake server, a proxy.
    pub fn endpoint(mut self, base: impl Into<String>) -> Self {
        self.0.endpoint = base.into();
        self
    }

    /// Timeouts, retries, rate limits.
    pub fn transport(mut self, t: TransportConfig) -> Self {
        self.0.transport = t;
        self
    }

    /// The config, or a config error naming the first setting that is missing or wrong.
    pub fn build(self) -> wabakit_core::Result<MetaConfig> {
        self.0.check()?;
        Ok(self.0)
    }
}
