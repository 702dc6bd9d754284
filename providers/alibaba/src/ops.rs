//! cams' operation table: each RPC action, the neutral operation it serves (the key of its
//! rate limit and of a profile's `qps` table), and its documented per-user QPS (spec §6–§12).

/// The cams actions wabakit calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Submit a template.
    CreateChatappTemplate,
    /// Replace a template's content.
    ModifyChatappTemplate,
    /// Read one template, with its components.
    GetChatappTemplateDetail,
    /// Read a page of templates.
    ListChatappTemplate,
    /// Delete a template.
    DeleteChatappTemplate,
    /// Send a template message.
    SendChatappMessage,
    /// Temporary OSS credentials for uploading template media.
    GetChatappUploadAuthorization,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::CreateChatappTemplate,
        Action::ModifyChatappTemplate,
        Action::GetChatappTemplateDetail,
        Action::ListChatappTemplate,
        Action::DeleteChatappTemplate,
        Action::SendChatappMessage,
        Action::GetChatappUploadAuthorization,
    ];

    /// The action's name, as requests carry it.
    pub fn name(self) -> &'static str {
        match self {
            Action::CreateChatappTemplate => "CreateChatappTemplate",
            Action::ModifyChatappTemplate => "ModifyChatappTemplate",
            Action::GetChatappTemplateDetail => "GetChatappTemplateDetail",
            Action::ListChatappTemplate => "ListChatappTemplate",
            Action::DeleteChatappTemplate => "DeleteChatappTemplate",
            Action::SendChatappMessage => "SendChatappMessage",
            Action::GetChatappUploadAuthorization => "GetChatappUploadAuthorization",
        }
    }

    /// The action of this name.
    pub fn from_name(s: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    /// The neutral operation this action serves: its rate limit's key.
    pub fn neutral(self) -> &'static str {
        match self {
            Action::CreateChatappTemplate => "create_template",
            Action::ModifyChatappTemplate => "update_template",
            Action::GetChatappTemplateDetail => "get_template",
            Action::ListChatappTemplate => "list_templates",
            Action::DeleteChatappTemplate => "delete_template",
            Action::SendChatappMessage => "send",
            Action::GetChatappUploadAuthorization => "upload_authorization",
        }
    }

    /// Requests per second allowed per user.
    pub fn qps(self) -> u32 {
        match self {
            Action::SendChatappMessage => 250,
            Action::CreateChatappTemplate | Action::ModifyChatappTemplate => 50,
            _ => 5,
        }
    }

    /// Create and Modify may carry their parameters in a form body.
    pub(crate) fn has_form_body(self) -> bool {
        matches!(
            self,
            Action::CreateChatappTemplate | Action::ModifyChatappTemplate
        )
    }
}

/// The operations of its own a profile's `qps` table may name, beside the neutral ones.
pub const OWN_OPERATIONS: &[&str] = &["upload_authorization"];

/// The documented limits, by neutral operation.
pub fn documented_limits() -> Vec<(&'static str, u32)> {
    Action::ALL.iter().map(|a| (a.neutral(), a.qps())).collect()
}
