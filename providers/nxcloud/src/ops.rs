//! NXCloud's operation table: for each endpoint its host, path, documented `action`, and the
//! neutral operation it serves (the key of its rate limit and of a profile's `qps` table).
//! NXCloud documents no rate limits.

/// NXCloud's endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// createTemplate.
    CreateTemplate,
    /// createTemplateAsync.
    CreateTemplateAsync,
    /// updateTemplate.
    UpdateTemplate,
    /// getTemplate (paged; serves get and list).
    GetTemplate,
    /// deleteTemplate.
    DeleteTemplate,
    /// mt, the send.
    Send,
    /// The SAAS send.
    SaasSend,
    /// uploadTemplateFile.
    UploadTemplateFile,
}

/// Which NXCloud host an endpoint is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// The WhatsApp API (`api2`).
    Api,
    /// The SAAS API.
    Saas,
}

/// One endpoint, as documented.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    /// The operation.
    pub op: Op,
    /// Its host.
    pub host: Host,
    /// Its path.
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
    /// Every endpoint.
    pub const ALL: [Op; 8] = [
        Op::CreateTemplate,
        Op::CreateTemplateAsync,
        Op::UpdateTemplate,
        Op::GetTemplate,
        Op::DeleteTemplate,
        Op::Send,
        Op::SaasSend,
        Op::UploadTemplateFile,
    ];

    /// The documented endpoint.
    pub fn endpoint(self) -> &'static Endpoint {
        ENDPOINTS
            .iter()
            .find(|e| e.op == self)
            .expect("every op has an endpoint")
    }

    /// The key of this operation in [`crate::NxcloudConfig::overrides`].
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

    /// The neutral operation this endpoint serves: its rate limit's key.
    pub fn neutral(self) -> &'static str {
        match self {
            Op::CreateTemplate | Op::CreateTemplateAsync => "create_template",
            Op::UpdateTemplate => "update_template",
            // getTemplate serves get and list; each counts against its own name.
            Op::GetTemplate => "get_template",
            Op::DeleteTemplate => "delete_template",
            Op::Send | Op::SaasSend => "send",
            Op::UploadTemplateFile => "upload_template_file",
        }
    }

    /// The endpoint at this path (the fake's routing).
    pub fn from_path(path: &str) -> Option<Op> {
        ENDPOINTS.iter().find(|e| e.path == path).map(|e| e.op)
    }
}

/// The operations of its own a profile's `qps` table may name, beside the neutral ones.
pub const OWN_OPERATIONS: &[&str] = &["upload_template_file"];
