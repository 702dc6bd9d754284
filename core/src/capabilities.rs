//! What a provider can express; validation reports anything else as `unsupported.*`.

use crate::model::{ButtonKind, Category, Channel, ComponentKind, HeaderFormat};
use crate::types::TemplateStatus;
use crate::validate::rules::{Limit, Rule};

/// What a provider can express: the validation overlay. A document that needs more is reported `unsupported.*` before anything is sent.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Capabilities {
    /// The channels it sends on.
    pub channels: Vec<Channel>,
    /// The template categories it takes.
    pub categories: Vec<Category>,
    /// The components it takes.
    pub components: Vec<ComponentKind>,
    /// The header formats it takes.
    pub header_formats: Vec<HeaderFormat>,
    /// The button kinds it takes.
    pub buttons: Vec<ButtonKind>,
    /// `{{first_name}}` placeholders (`parameter_format: NAMED`).
    pub named_parameters: bool,
    /// A template's `message_send_ttl_seconds`.
    pub message_send_ttl: bool,
    /// Media header samples by upload handle (`header_handle`).
    pub header_handle: bool,
    /// Media header samples by public URL (`custom_header_handle_url`).
    pub header_url: bool,
    /// Header media details: caption, filename, and Viber's thumb_url, duration, file_type.
    pub header_media_details: bool,
    /// Template creation answers "pending" and the outcome comes later (by webhook).
    pub async_create: bool,
    /// A COPY_CODE button's code may be a variable, `$(couponCode)`, that a message's
    /// copy_code parameter fills (cams).
    pub coupon_variables: bool,
    /// A ZERO_TAP button carries `zero_tap_terms_accepted: true` (Meta's terms); false where
    /// the provider has no such field (cams), which then reports the field unsupported.
    pub zero_tap_terms: bool,
    /// Statuses in which a template may be edited.
    pub editable: Vec<TemplateStatus>,
    /// Provider-specific limits that replace the common rule's limit, by rule id.
    pub limits: Vec<(&'static str, Limit)>,
}

impl Capabilities {
    /// Everything the neutral model can express, with WhatsApp's (Meta's) edit rules.
    pub fn everything() -> Self {
        Capabilities {
            channels: vec![Channel::Whatsapp, Channel::Viber],
            categories: vec![
                Category::Marketing,
                Category::Utility,
                Category::Authentication,
            ],
            components: ComponentKind::ALL.iter().map(|(_, k)| *k).collect(),
            header_formats: HeaderFormat::ALL.iter().map(|(_, f)| *f).collect(),
            buttons: vec![
                ButtonKind::QuickReply,
                ButtonKind::Url,
                ButtonKind::PhoneNumber,
                ButtonKind::CopyCode,
                ButtonKind::OtpCopyCode,
                ButtonKind::OtpOneTap,
                ButtonKind::OtpZeroTap,
                ButtonKind::Flow,
                ButtonKind::Catalog,
                ButtonKind::Mpm,
            ],
            named_parameters: true,
            message_send_ttl: true,
            header_handle: true,
            header_url: true,
            header_media_details: true,
            async_create: false,
            coupon_variables: false,
            zero_tap_terms: true,
            editable: vec![
                TemplateStatus::Approved,
                TemplateStatus::Rejected,
                TemplateStatus::Paused,
            ],
            limits: Vec::new(),
        }
    }

    /// The limit in force for `rule`: the provider's own, else the common one.
    pub fn limit(&self, rule: &Rule) -> Limit {
        self.limits
            .iter()
            .find(|(id, _)| *id == rule.id)
            .map(|(_, l)| *l)
            .unwrap_or(rule.limit)
    }

    /// Whether a template in `status` may be edited.
    pub fn can_edit(&self, status: &TemplateStatus) -> bool {
        self.editable.contains(status)
    }
}

impl Default for Capabilities {
    fn default() -> Self {
        Self::everything()
    }
}
