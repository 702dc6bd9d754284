//! NXCloud's request bodies. Field order follows NXCloud's own examples, so a body serializes
//! to the very bytes their pages show (the bytes signed are the bytes sent).

use std::borrow::Cow;

use serde::Serialize;
use wabakit_core::{Category, Component};

pub const MESSAGING_PRODUCT: &str = "whatsapp";

#[derive(Serialize)]
pub struct CreateTemplate<'a> {
    pub appkey: &'a str,
    pub messaging_product: &'static str,
    pub business_phone: &'a str,
    pub name: &'a str,
    /// Always set: validation requires a category to create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    pub components: Cow<'a, [Component]>,
}

#[derive(Serialize)]
pub struct UpdateTemplate<'a> {
    pub appkey: &'a str,
    pub messaging_product: &'static str,
    pub business_phone: &'a str,
    pub template_id: &'a str,
    /// Optional (seed 000): sent only to change the category of a rejected template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub components: Cow<'a, [Component]>,
}

#[derive(Serialize)]
pub struct GetTemplate<'a> {
    pub appkey: &'a str,
    pub messaging_product: &'static str,
    pub business_phone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<&'a str>,
    pub limit: u32,
}

#[derive(Serialize)]
pub struct DeleteTemplate<'a> {
    pub appkey: &'a str,
    pub messaging_product: &'static str,
    pub business_phone: &'a str,
    pub name: &'a str,
}

/// The `mt` send body; with `tenant_id`, the SAAS send body.
#[derive(Serialize)]
pub struct Send<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<u64>,
    pub appkey: &'a str,
    pub business_phone: &'a str,
    pub messaging_product: &'static str,
    pub recipient_type: &'static str,
    pub to: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cus_message_id: Option<&'a str>,
    pub template: SendTemplate<'a>,
}

#[derive(Serialize)]
pub struct SendTemplate<'a> {
    pub name: &'a str,
    pub language: Language<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<SendComponent<'a>>,
}

#[derive(Serialize)]
pub struct Language<'a> {
    pub code: &'a str,
    /// Fixed, and documented as required.
    pub policy: &'static str,
}

#[derive(Serialize)]
pub struct SendComponent<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<Index>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<Param<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<SendCard<'a>>>,
}

/// Button positions: strings on the api2 pages (`"0"`), numbers on the SAAS page (`0`).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Index {
    Text(String),
    Number(u32),
}

#[derive(Serialize)]
pub struct SendCard<'a> {
    pub card_index: u32,
    pub components: Vec<SendComponent<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Param<'a> {
    Text {
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<&'a str>,
        text: &'a str,
    },
    Image {
        image: MediaRef<'a>,
    },
    Video {
        video: MediaRef<'a>,
    },
    Document {
        document: MediaRef<'a>,
    },
    Location {
        location: Location<'a>,
    },
    Payload {
        payload: &'a str,
    },
    CouponCode {
        coupon_code: &'a str,
    },
    Action {
        action: FlowAction<'a>,
    },
}

#[derive(Serialize)]
pub struct MediaRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Location<'a> {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<&'a str>,
}

#[derive(Serialize)]
pub struct FlowAction<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_action_data: Option<&'a serde_json::Value>,
}
