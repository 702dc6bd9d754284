//! NXCloud's request bodies. Field order follows NXCloud's own examples, so a body serializes
//! to the very bytes their pages show (the bytes signed are the bytes sent).

use std::borrow::Cow;

use serde::Serialize;
use wabakit_core::raw::whatsapp::SendTemplate;
use wabakit_core::{Category, Component};

/// The `messaging_product` every body carries.
pub const MESSAGING_PRODUCT: &str = "whatsapp";

/// createTemplate's (and createTemplateAsync's) body.
#[derive(Serialize)]
pub struct CreateTemplate<'a> {
    /// The WhatsApp application's key.
    pub appkey: &'a str,
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// The sender number.
    pub business_phone: &'a str,
    /// The template's name.
    pub name: &'a str,
    /// Always set: validation requires a category to create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The template's language.
    pub language: &'a str,
    /// How long delivery is tried, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// The components, in Meta's shape.
    pub components: Cow<'a, [Component]>,
}

/// updateTemplate's body.
#[derive(Serialize)]
pub struct UpdateTemplate<'a> {
    /// The WhatsApp application's key.
    pub appkey: &'a str,
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// The sender number.
    pub business_phone: &'a str,
    /// The template's id.
    pub template_id: &'a str,
    /// Optional (seed 000): sent only to change the category of a rejected template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The new components.
    pub components: Cow<'a, [Component]>,
}

/// getTemplate's body: one page, by name or all.
#[derive(Serialize)]
pub struct GetTemplate<'a> {
    /// The WhatsApp application's key.
    pub appkey: &'a str,
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// The sender number.
    pub business_phone: &'a str,
    /// Only templates of this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The cursor of the page after the last one read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<&'a str>,
    /// The page size.
    pub limit: u32,
}

/// deleteTemplate's body (by name, every language).
#[derive(Serialize)]
pub struct DeleteTemplate<'a> {
    /// The WhatsApp application's key.
    pub appkey: &'a str,
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// The sender number.
    pub business_phone: &'a str,
    /// The template's name.
    pub name: &'a str,
}

/// The `mt` send body; with `tenant_id`, the SAAS send body.
#[derive(Serialize)]
pub struct Send<'a> {
    /// The SAAS tenant (the SAAS send only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<u64>,
    /// The WhatsApp application's key.
    pub appkey: &'a str,
    /// The sender number.
    pub business_phone: &'a str,
    /// Always `whatsapp`.
    pub messaging_product: &'static str,
    /// Always `individual`.
    pub recipient_type: &'static str,
    /// The recipient, country code and digits.
    pub to: String,
    /// Always `template`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The caller's id of the message (the client_ref), which becomes its message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cus_message_id: Option<&'a str>,
    /// The template and its parameters (the Cloud API's shape, passed through).
    pub template: SendTemplate<'a>,
}
