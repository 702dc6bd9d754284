//! A template message in the Cloud API's send-time shape (`template: {name, language,
//! components}`, Meta spec §3): lower-case `header`/`body`/`button` components with
//! `parameters[]`, buttons by `sub_type` and `index`, carousel cards by `card_index`. Meta's own
//! send and NXCloud's (which passes the same object through to Meta) build it here.

use serde::Serialize;

use crate::model::{
    BodyValue, ButtonParam, ButtonValue, HeaderParam, Media, Params, TemplateMessage,
};

/// The template a send names, with its parameters.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct Language<'a> {
    /// The language code.
    pub code: &'a str,
    /// `deterministic`: the only value, and documented as required.
    pub policy: &'static str,
}

/// The parameters of one component of a send.
#[derive(Debug, Serialize)]
pub struct SendComponent<'a> {
    /// `header`, `body`, `button` or `carousel`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A button's sub-type (`url`, `quick_reply` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<&'static str>,
    /// A button's position in the template's BUTTONS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<Index>,
    /// The parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<Param<'a>>>,
    /// A carousel's cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<SendCard<'a>>>,
}

/// A button's position: text (`"0"`) as Meta's reference and NXCloud's api2 pages write it, or
/// a number (`0`) as NXCloud's SAAS page does.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Index {
    /// As text (`"0"`).
    Text(String),
    /// As a number.
    Number(u32),
}

/// One carousel card's parameters.
#[derive(Debug, Serialize)]
pub struct SendCard<'a> {
    /// The card's position.
    pub card_index: u32,
    /// The card's component parameters.
    pub components: Vec<SendComponent<'a>>,
}

/// One parameter of a send, by `type`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Param<'a> {
    /// A text value.
    Text {
        /// The variable's name (`parameter_format: NAMED`).
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<&'a str>,
        /// The value.
        text: &'a str,
    },
    /// An amount of money (Meta only: the other providers' pages define text values).
    Currency {
        /// The variable's name (`parameter_format: NAMED`).
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<&'a str>,
        /// The amount.
        currency: Currency<'a>,
    },
    /// A date and time (Meta only).
    DateTime {
        /// The variable's name (`parameter_format: NAMED`).
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<&'a str>,
        /// The date.
        date_time: DateTime<'a>,
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

/// Media by link or by uploaded id.
#[derive(Debug, Serialize)]
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

/// A currency parameter: `{"fallback_value", "code", "amount_1000"}`.
#[derive(Debug, Serialize)]
pub struct Currency<'a> {
    /// The text shown.
    pub fallback_value: &'a str,
    /// The ISO 4217 code.
    pub code: &'a str,
    /// The amount times 1000.
    pub amount_1000: i64,
}

/// A date-time parameter: `{"fallback_value"}`.
#[derive(Debug, Serialize)]
pub struct DateTime<'a> {
    /// The text shown.
    pub fallback_value: &'a str,
}

/// A location parameter.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct FlowAction<'a> {
    /// The flow token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<&'a str>,
    /// Data for the flow's first screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_action_data: Option<&'a serde_json::Value>,
}

/// Where the shapes of the providers that speak this object differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendStyle {
    /// Button positions as numbers (NXCloud's SAAS send) rather than text.
    pub index_as_number: bool,
    /// The `sub_type` of a copy-code button: `copy_code` (Meta's reference) or `COPY_CODE`
    /// (NXCloud's pages).
    pub copy_code: &'static str,
}

impl SendStyle {
    /// As Meta's reference writes it: lower-case sub-types, positions as text.
    pub const CLOUD_API: SendStyle = SendStyle {
        index_as_number: false,
        copy_code: "copy_code",
    };
}

/// The `template` object of a send of `m`, with `body` as its body parameters (one per value
/// as written: [`body_params`], unless the provider repeats values per occurrence).
pub fn send_template<'a>(
    m: &'a TemplateMessage,
    body: Vec<Param<'a>>,
    style: SendStyle,
) -> SendTemplate<'a> {
    let mut components = params(m.header.as_ref(), body, &m.buttons, style);
    if !m.cards.is_empty() {
        let cards = m
            .cards
            .iter()
            .enumerate()
            .map(|(i, c)| SendCard {
                card_index: i as u32,
                components: params(c.header.as_ref(), body_params(&c.body), &c.buttons, style),
            })
            .collect();
        components.push(SendComponent {
            kind: "carousel",
            sub_type: None,
            index: None,
            parameters: None,
            cards: Some(cards),
        });
    }
    SendTemplate {
        name: &m.template,
        language: Language {
            code: &m.language,
            policy: "deterministic",
        },
        components,
    }
}

/// One parameter per body value, as written (a named value carries its name).
pub fn body_params(body: &Params) -> Vec<Param<'_>> {
    body.iter().map(|(name, v)| body_param(name, v)).collect()
}

/// The parameter of one body value: text, or its typed object.
pub fn body_param<'a>(name: Option<&'a str>, v: &'a BodyValue) -> Param<'a> {
    match v {
        BodyValue::Text(t) => text(name, t),
        BodyValue::Currency(c) => Param::Currency {
            parameter_name: name,
            currency: Currency {
                fallback_value: &c.fallback_value,
                code: &c.code,
                amount_1000: c.amount_1000,
            },
        },
        BodyValue::DateTime(d) => Param::DateTime {
            parameter_name: name,
            date_time: DateTime {
                fallback_value: &d.fallback_value,
            },
        },
    }
}

/// A text parameter.
pub fn text<'a>(name: Option<&'a str>, t: &'a str) -> Param<'a> {
    Param::Text {
        parameter_name: name,
        text: t,
    }
}

/// Header, body and button components, in that order (buttons by position).
fn params<'a>(
    header: Option<&'a HeaderParam>,
    body: Vec<Param<'a>>,
    buttons: &'a [ButtonParam],
    style: SendStyle,
) -> Vec<SendComponent<'a>> {
    let mut out = Vec::new();
    if let Some(h) = header {
        out.push(component("header", None, None, vec![header_param(h)]));
    }
    if !body.is_empty() {
        out.push(component("body", None, None, body));
    }
    let mut sorted: Vec<&ButtonParam> = buttons.iter().collect();
    sorted.sort_by_key(|b| b.index);
    for b in sorted {
        let index = if style.index_as_number {
            Index::Number(b.index)
        } else {
            Index::Text(b.index.to_string())
        };
        let (sub_type, p) = match &b.value {
            ButtonValue::Url { text: t } => ("url", text(None, t)),
            ButtonValue::CopyCode { coupon_code } => {
                (style.copy_code, Param::CouponCode { coupon_code })
            }
            ButtonValue::QuickReply { payload } => ("quick_reply", Param::Payload { payload }),
            ButtonValue::Flow {
                flow_token,
                flow_action_data,
            } => (
                "flow",
                Param::Action {
                    action: FlowAction {
                        flow_token: flow_token.as_deref(),
                        flow_action_data: flow_action_data.as_ref(),
                    },
                },
            ),
        };
        out.push(component("button", Some(sub_type), Some(index), vec![p]));
    }
    out
}

fn component<'a>(
    kind: &'static str,
    sub_type: Option<&'static str>,
    index: Option<Index>,
    p: Vec<Param<'a>>,
) -> SendComponent<'a> {
    SendComponent {
        kind,
        sub_type,
        index,
        parameters: Some(p),
        cards: None,
    }
}

fn media<'a>(m: &'a Media, filename: Option<&'a str>) -> MediaRef<'a> {
    match m {
        Media::Link(l) => MediaRef {
            link: Some(l),
            id: None,
            filename,
        },
        Media::Id(i) => MediaRef {
            link: None,
            id: Some(i),
            filename,
        },
    }
}

fn header_param(h: &HeaderParam) -> Param<'_> {
    match h {
        HeaderParam::Text { text: t } => text(None, t),
        HeaderParam::Image(m) => Param::Image {
            image: media(m, None),
        },
        HeaderParam::Video(m) => Param::Video {
            video: media(m, None),
        },
        HeaderParam::Document { media: m, filename } => Param::Document {
            document: media(m, filename.as_deref()),
        },
        HeaderParam::Location {
            latitude,
            longitude,
            name,
            address,
        } => Param::Location {
            location: Location {
                latitude: *latitude,
                longitude: *longitude,
                name: name.as_deref(),
                address: address.as_deref(),
            },
        },
    }
}
