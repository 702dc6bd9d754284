//! Neutral documents → Graph API bodies. The neutral template is Meta's create-time shape, so
//! its components go as they are; a message becomes the send-time `template` object
//! (`wabakit_core::raw::whatsapp`, shared with NXCloud, which passes it through to Meta).

use serde::Serialize;
use wabakit_core::raw::whatsapp::{body_params, send_template, SendStyle, SendTemplate};
use wabakit_core::*;

/// Every body names the product.
pub const MESSAGING_PRODUCT: &str = "whatsapp";

/// `POST /{waba_id}/message_templates` (spec §2.1). Field order as Meta's examples write it.
#[derive(Debug, Serialize)]
pub struct CreateTemplate<'a> {
    /// The template's name.
    pub name: &'a str,
    /// Its language.
    pub language: &'a str,
    /// Always set: validation requires a category to create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// `POSITIONAL` or `NAMED`, template-wide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// How long delivery is tried, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// The components, in Meta's create-time shape (the neutral one).
    pub components: &'a [Component],
}

/// `POST /{template_id}` (spec §2.3): what an edit may change. The components replace all of
/// the template's (every component and example is sent again); name and language cannot change.
#[derive(Debug, Serialize)]
pub struct EditTemplate<'a> {
    /// The category (only a rejected template's may change; validation checks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// `POSITIONAL` or `NAMED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// How long delivery is tried, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// Every component.
    pub components: &'a [Component],
}

/// `POST /{phone_number_id}/messages` with a template (spec §3).
#[derive(Debug, Serialize)]
pub struct Send<'a> {
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// Always `individual`.
    pub recipient_type: &'static str,
    /// The recipient: country code and digits.
    pub to: String,
    /// Always `template`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The client_ref: Meta echoes it in every status webhook of the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<&'a str>,
    /// The template and its parameters.
    pub template: SendTemplate<'a>,
}

/// The create body for `t`.
pub fn create_template(t: &Template) -> CreateTemplate<'_> {
    CreateTemplate {
        name: &t.name,
        language: &t.language,
        category: t.category,
        parameter_format: t.parameter_format,
        message_send_ttl_seconds: t.message_send_ttl_seconds,
        components: &t.components,
    }
}

/// The edit body giving a template `t`'s content.
pub fn edit_template(t: &Template) -> EditTemplate<'_> {
    EditTemplate {
        category: t.category,
        parameter_format: t.parameter_format,
        message_send_ttl_seconds: t.message_send_ttl_seconds,
        components: &t.components,
    }
}

/// The send body for `m`: named values carry their `parameter_name`, buttons their
/// lower-case `sub_type` and text `index`, cards their `card_index`.
pub fn send(m: &TemplateMessage) -> Result<Send<'_>> {
    Ok(Send {
        messaging_product: MESSAGING_PRODUCT,
        recipient_type: "individual",
        to: recipient(m)?,
        kind: "template",
        biz_opaque_callback_data: m.client_ref.as_deref(),
        template: send_template(m, body_params(&m.body), SendStyle::CLOUD_API),
    })
}
