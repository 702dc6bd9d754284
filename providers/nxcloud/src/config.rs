//! NXCloud settings, and the endpoint table: host, path, action and bizType per operation are
//! data with the documented defaults, each overridable.

use std::collections::BTreeMap;

use wabakit_core::{Secret, Text, TransportConfig};

use crate::sign::Algorithm;

pub const DEFAULT_ENDPOINT: &str = "https://api2.nxcloud.com";
pub const DEFAULT_SAAS_ENDPOINT: &str = "https://api.nxcloud.com";

/// Everything the NXCloud provider needs. `Debug` never shows the secrets.
#[derive(Clone, Debug)]
pub struct NxcloudConfig {
    /// The `accessKey` header.
    pub access_key: String,
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
    pub algorithm: Algorithm,
    /// Create templates with createTemplateAsync: the answer is pending, the outcome comes by
    /// webhook.
    pub async_create: bool,
    /// Secret to verify signed callbacks with (the application's callback signing).
    pub webhook_secret: Option<Secret>,
    /// Per-operation overrides of URL, action and bizType, keyed by [`Op::key`].
    pub overrides: BTreeMap<String, EndpointOverride>,
    pub transport: TransportConfig,
}

impl NxcloudConfig {
    pub fn new(
        access_key: impl Into<String>,
        access_secret: impl Into<Secret>,
        app_key: impl Into<String>,
        business_phone: impl Into<String>,
    ) -> Self {
        NxcloudConfig {
            access_key: access_key.into(),
            access_secret: access_secret.into(),
            app_key: app_key.into(),
            business_phone: business_phone.into(),
            endpoint: DEFAULT_ENDPOINT.into(),
            saas_endpoint: DEFAULT_SAAS_ENDPOINT.into(),
            tenant_id: None,
            algorithm: Algorithm::Md5,
            async_create: false,
            webhook_secret: None,
            overrides: BTreeMap::new(),
            transport: TransportConfig::default(),
        }
    }

    /// Point both APIs at one base URL (a fake server, a proxy).
    pub fn with_endpoint(mut self, base: impl Into<String>) -> Self {
        let base = base.into();
        self.endpoint = base.clone();
        self.saas_endpoint = base;
        self
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointOverride {
    /// The full URL to call.
    pub url: Option<String>,
    pub action: Option<String>,
    pub biz_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub url: String,
    /// The documented constants unless overridden: headers of every request.
    pub action: Text,
    pub biz_type: Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    CreateTemplate,
    CreateTemplateAsync,
    UpdateTemplate,
    GetTemplate,
    DeleteTemplate,
    Send,
    SaasSend,
    UploadTemplateFile,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Api,
    Saas,
}

#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub op: Op,
    pub host: Host,
    pub path: &'static str,
    /// The documented `action` header value.
    pub action: &'static str,
    /// multipart/form-data: signed without the body.
    pub multipart: bool,
}

/// The documented endpoints (spec §4). createTemplateAsync's page gives action `createTemplate`
/// and the SAAS send page `mt`; both are kept as documented (override them if NXCloud disagrees).
pub const ENDPOINTS: [Endpoint; 8] = [
    Endpoint {
        op: Op::CreateTemplate,
        host: Host::Api,
        path: "/api/wa/createTemplate",
        action: "createTemplate",
        multipart: false,
    },
    Endpoint {
        op: Op::CreateTemplateAsync,
        host: Host::Api,
        path: "/api/wa/createTemplateAsync",
        action: "createTemplate",
        multipart: false,
    },
    Endpoint {
        op: Op::UpdateTemplate,
        host: Host::Api,
        path: "/api/wa/updateTemplate",
        action: "updateTemplate",
        multipart: false,
    },
    Endpoint {
        op: Op::GetTemplate,
        host: Host::Api,
        path: "/api/wa/getTemplate",
        action: "getTemplate",
        multipart: false,
    },
    Endpoint {
        op: Op::DeleteTemplate,
        host: Host::Api,
        path: "/api/wa/deleteTemplate",
        action: "deleteTemplate",
        multipart: false,
    },
    Endpoint {
        op: Op::Send,
        host: Host::Api,
        path: "/api/wa/mt",
        action: "mt",
        multipart: false,
    },
    Endpoint {
        op: Op::SaasSend,
        host: Host::Saas,
        path: "/saas/wa/send",
        action: "mt",
        multipart: false,
    },
    Endpoint {
        op: Op::UploadTemplateFile,
        host: Host::Api,
        path: "/api/wa/uploadTemplateFile",
        action: "uploadTemplateFile",
        multipart: true,
    },
];

impl Op {
    pub fn endpoint(self) -> &'static Endpoint {
        ENDPOINTS
            .iter()
            .find(|e| e.op == self)
            .expect("every op has an endpoint")
    }

    /// The key of this operation in [`NxcloudConfig::overrides`].
    pub fn key(self) -> &'static str {
        match self {
            Op::CreateTemplate => "create_template",
            Op::CreateTemplateAsync => "create_template_async",
            Op::UpdateTemplate => "update_template",
            Op::GetTemplate => "get_template",
            Op::DeleteTemplate => "delete_template",
            Op::Send => "send",
            Op::SaasSend => "saas_send",
            Op::UploadTemplateFile => "upload_template_file",
        }
    }

    pub fn from_path(path: &str) -> Option<Op> {
        ENDPOINTS.iter().find(|e| e.path == path).map(|e| e.op)
    }
}
