//! NXCloud's request bodies. Field order follows NXCloud's own examples, so a body serializes
//! to the very bytes their pages show (the bytes signed are the bytes sent).

use std::borrow::Cow;

use serde::Serialize;
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
    /// The template and its parameters.
    pub template: SendTemplate<'a>,
}

/// The template a send names.
#[derive(Serialize)]
pub struct SendTemplate<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its language.
    pub language: Language<'a>,
    /// The parameters, by component.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<SendComponent<'a>>,
}

/// A template's language in a send.
#[derive(Serialize)]
pub struct Language<'a> {
    /// The language code.
    pub code: &'a str,
    /// Fixed, and documented as required.
    pub policy: &'static str,
}

/// The parameters of one component of a send.
#[derive(Serialize)]
pub struct SendComponent<'a> {
    /// `header`, `body`, `button` or `carousel`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A button's sub-type (`url`, `quick_reply` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<&'static str>,
    /// A button's position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<Index>,
    /// The parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<Param<'a>>>,
    /// A carousel's cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<SendCard<'a>>>,
}

/// Button positions: strings on the api2 pages (`"0"`), numbers on the SAAS page (`0`).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Index {
    /// As text (`"0"`), as NXCloud's examples write it.
    Text(String),
    /// As a number.
    Number(u32),
}

/// One carousel card's parameters.
#[derive(Serialize)]
pub struct SendCard<'a> {
    /// The card's position.
    pub card_index: u32,
    /// The card's component parameters.
    pub components: Vec<SendComponent<'a>>,
}

/// One parameter of a send, by `type`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Param<'a> {
    /// A text value.
    Text {
        /// The variable's name (named parameters).
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<&'a str>,
        /// The value.
        text: &'a str,
    },
    /// An image.
    Image {
        /// The image.
        image: MediaRef<'a>,
    },
    /// A video.
    Video {
        /// The video.
        video: MediaRef<'a>,
    },
    /// A document.
    Document {
        /// The document.
        document: MediaRef<'a>,
    },
    /// A location.
    Location {
        /// The location.
        location: Location<'a>,
    },
    /// A quick reply's payload.
    Payload {
        /// The payload.
        payload: &'a str,
    },
    /// A copy-code button's code.
    CouponCode {
        /// The code.
        coupon_code: &'a str,
    },
    /// A flow button's action.
    Action {
        /// The action.
        action: FlowAction<'a>,
    },
}

/// Media by link or id.
#[derive(Serialize)]
pub struct MediaRef<'a> {
    /// A public URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<&'a str>,
    /// An uploaded media id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// A document's file name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<&'a str>,
}

/// A location parameter.
#[derive(Serialize)]
pub struct Location<'a> {
    /// Latitude, in degrees.
    pub latitude: f64,
    /// Longitude, in degrees.
    pub longitude: f64,
    /// The place's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The place's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<&'a str>,
}

/// A flow button's parameter.
#[derive(Serialize)]
pub struct FlowAction<'a> {
    /// The flow token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<&'a str>,
    /// Data for the flow's first screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_action_data: Option<&'a serde_json::Value>,
}
