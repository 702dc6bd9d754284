//! The Graph API's operation table (spec §2–§4): for each endpoint its method and path, and
//! the neutral operation it serves (the key of its rate limit and of a profile's `qps` table);
//! and the documented throughput.

/// The Graph endpoints the provider calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `POST /{waba_id}/message_templates`.
    CreateTemplate,
    /// `POST /{template_id}`.
    EditTemplate,
    /// `GET /{template_id}`.
    GetTemplate,
    /// `GET /{waba_id}/message_templates` (paged; serves list, and get by name).
    ListTemplates,
    /// `DELETE /{waba_id}/message_templates?name=…&hsm_id=…`.
    DeleteTemplate,
    /// `POST /{phone_number_id}/messages`.
    Send,
    /// `POST /{app_id}/uploads`, then `POST /upload:{session}`: the Resumable Upload API.
    StartUpload,
    /// `POST /upload:{session}` with the bytes.
    Upload,
}

impl Op {
    /// The HTTP method.
    pub fn method(self) -> &'static str {
        match self {
            Op::GetTemplate | Op::ListTemplates => "GET",
            Op::DeleteTemplate => "DELETE",
            _ => "POST",
        }
    }

    /// The neutral operation it serves: its rate limit's key.
    pub fn neutral(self) -> &'static str {
        match self {
            Op::CreateTemplate => "create_template",
            Op::EditTemplate => "update_template",
            Op::GetTemplate => "get_template",
            Op::ListTemplates => "list_templates",
            Op::DeleteTemplate => "delete_template",
            Op::Send => "send",
            Op::StartUpload | Op::Upload => "upload_template_file",
        }
    }
}

/// Messages per second per business phone number by default (spec §6.1: 80, raised by Meta to
/// 1,000 for eligible numbers; 20 for a number shared with the WhatsApp Business app). Set
/// `[profiles.NAME.qps] send = …` to the number's own throughput.
pub const SEND_MPS: u32 = 80;

/// Template creation: Meta's older text allows a WABA 100 templates an hour (spec §6.4,
/// uncertain). The limiter counts whole requests per second, so this is the tightest rate it
/// holds; beyond it Meta's own answers (code 4, 80007) throttle, and are retried after the
/// `x-business-use-case-usage` header's time.
pub const CREATE_QPS: u32 = 1;

/// The documented limits, by neutral operation. Reads, edits and deletes have only Meta's
/// hourly business-use-case quota, which its answers report (spec §6.4: "rely on the header,
/// not on constants").
pub const LIMITS: &[(&str, u32)] = &[("send", SEND_MPS), ("create_template", CREATE_QPS)];

/// The operations of its own a profile's `qps` table may name, beside the neutral ones.
pub const OWN_OPERATIONS: &[&str] = &["upload_template_file"];
