//! The neutral template message (ARCHITECTURE §4), written for people, not in Meta's nested form.

use serde::Serialize;

use crate::path::FieldPath;

/// A message that sends an approved template to one recipient, checked on its own and
/// against its template.
///
/// ```
/// use wabakit_core::{validate_message, Template, TemplateMessage};
///
/// let t = Template::from_json(r#"{"name": "order_update", "language": "en_US",
///   "category": "UTILITY", "components": [{"type": "BODY",
///   "text": "Hi {{1}}, your order ships {{2}}.", "example": {"body_text": [["Ana", "today"]]}}]}"#)
///     .unwrap();
/// let m = TemplateMessage::from_json(r#"{"to": "+86 136 0000 9759",
///   "template": "order_update", "language": "en_US", "body": ["Ana"]}"#).unwrap();
/// let problems = validate_message(&m, Some(&t));
/// assert_eq!(problems[0].path, "body");   // one value for two variables
/// ```
#[derive(Clone, PartialEq, Serialize)]
pub struct TemplateMessage {
    /// Recipient, in any readable form (`+86 136 0000 9759`); each provider normalizes it.
    pub to: String,
    /// Template name.
    pub template: String,
    /// The template's language (`en_US`).
    pub language: String,
    /// The header's parameter: a TEXT header's variable, or the media of a media header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderParam>,
    /// The body's variables: a list for `{{1}}`…, a map for named variables.
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub body: Params,
    /// The parameters of the dynamic buttons (URL suffixes, coupon codes, payloads, flows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<ButtonParam>,
    /// Per-card parameters of a carousel template, in card order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<CardParams>,
    /// The caller's own id for this message (NXCloud `cus_message_id`, Alibaba `TaskId`),
    /// echoed in status receipts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ref: Option<String>,
}

/// The recipient masked ([`crate::privacy`]): a message's `Debug` goes to logs and panics.
impl std::fmt::Debug for TemplateMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateMessage")
            .field("to", &crate::privacy::recipient(&self.to))
            .field("template", &self.template)
            .field("language", &self.language)
            .field("header", &self.header)
            .field("body", &self.body)
            .field("buttons", &self.buttons)
            .field("cards", &self.cards)
            .field("client_ref", &self.client_ref)
            .finish()
    }
}

impl TemplateMessage {
    /// A message with no parameters.
    pub fn new(
        to: impl Into<String>,
        template: impl Into<String>,
        language: impl Into<String>,
    ) -> Self {
        TemplateMessage {
            to: to.into(),
            template: template.into(),
            language: language.into(),
            header: None,
            body: Params::default(),
            buttons: Vec::new(),
            cards: Vec::new(),
            client_ref: None,
        }
    }

    /// The typed (non-text) body values, the card bodies' included, with their paths
    /// (`body[1]`, `body.total`, `cards[0].body[0]`).
    pub fn typed_values(&self) -> Vec<(FieldPath, &BodyValue)> {
        fn typed(at: FieldPath, body: &Params) -> Vec<(FieldPath, &BodyValue)> {
            body.iter()
                .enumerate()
                .filter(|(_, (_, v))| !matches!(v, BodyValue::Text(_)))
                .map(|(i, (name, v))| match name {
                    Some(k) => (at.key(k), v),
                    None => (at.index(i), v),
                })
                .collect()
        }
        let mut out = typed(FieldPath::from("body"), &self.body);
        for (i, c) in self.cards.iter().enumerate() {
            out.extend(typed(
                FieldPath::from("cards").index(i).key("body"),
                &c.body,
            ));
        }
        out
    }

    /// The message as a JSON document (the shape it is read from).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a TemplateMessage always serializes")
    }
}

/// Values of a component's placeholders: a list for `{{1}}`-style templates, or
/// name → value pairs for NAMED templates (kept in the order written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Params {
    /// `{{1}}`, `{{2}}` … values, in order.
    Positional(Vec<BodyValue>),
    /// Values by variable name.
    Named(NamedParams),
}

impl Default for Params {
    fn default() -> Self {
        Params::Positional(Vec::new())
    }
}

impl Params {
    /// No values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many values.
    pub fn len(&self) -> usize {
        match self {
            Params::Positional(v) => v.len(),
            Params::Named(n) => n.0.len(),
        }
    }

    /// The values in order (positional order, or the order names were written), each with
    /// its name when named.
    pub fn iter(&self) -> impl Iterator<Item = (Option<&str>, &BodyValue)> {
        let (positional, named) = match self {
            Params::Positional(v) => (v.as_slice(), &[][..]),
            Params::Named(n) => (&[][..], n.0.as_slice()),
        };
        positional
            .iter()
            .map(|v| (None, v))
            .chain(named.iter().map(|(k, v)| (Some(k.as_str()), v)))
    }

    /// The values' texts in order (a typed value's fallback text).
    pub fn values(&self) -> Vec<&str> {
        self.iter().map(|(_, v)| v.text()).collect()
    }
}

/// Named parameter values, serialized as a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamedParams(pub Vec<(String, BodyValue)>);

impl Serialize for NamedParams {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One body value: text, as almost every message writes it, or one of the Cloud API's typed
/// values. WhatsApp shows a typed value's `fallback_value` (Meta spec §3: "Cloud API always
/// shows the fallback"); Meta's send carries the type, and the providers whose pages define
/// text values only report a typed one `unsupported` rather than drop its fields.
///
/// Written as a string (`"Ana"`; a number is its text), or as an object with a `type`:
/// `{"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}`,
/// `{"type": "date_time", "fallback_value": "February 25, 1977"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum BodyValue {
    /// A text value.
    Text(String),
    /// An amount of money.
    Currency(CurrencyValue),
    /// A date and time, shown as its fallback text.
    DateTime(DateTimeValue),
}

/// A currency body value (Meta spec §3, `currency`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename = "currency")]
pub struct CurrencyValue {
    /// The text WhatsApp shows (`$100.99`).
    pub fallback_value: String,
    /// The ISO 4217 currency code (`USD`).
    pub code: String,
    /// The amount times 1000 (`100990` for 100.99).
    pub amount_1000: i64,
}

/// A date-time body value (Meta spec §3, `date_time`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename = "date_time")]
pub struct DateTimeValue {
    /// The text WhatsApp shows (`February 25, 1977`).
    pub fallback_value: String,
}

impl BodyValue {
    /// The text WhatsApp shows: the text, or a typed value's fallback.
    pub fn text(&self) -> &str {
        match self {
            BodyValue::Text(t) => t,
            BodyValue::Currency(c) => &c.fallback_value,
            BodyValue::DateTime(d) => &d.fallback_value,
        }
    }

    /// The value's type, as written (`text`, `currency`, `date_time`).
    pub fn type_name(&self) -> &'static str {
        match self {
            BodyValue::Text(_) => "text",
            BodyValue::Currency(_) => "currency",
            BodyValue::DateTime(_) => "date_time",
        }
    }
}

impl From<String> for BodyValue {
    fn from(t: String) -> Self {
        BodyValue::Text(t)
    }
}

impl From<&str> for BodyValue {
    fn from(t: &str) -> Self {
        BodyValue::Text(t.to_owned())
    }
}

impl PartialEq<str> for BodyValue {
    fn eq(&self, other: &str) -> bool {
        matches!(self, BodyValue::Text(t) if t == other)
    }
}

/// The header's parameter: text for a `{{1}}` text header, or the media to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum HeaderParam {
    /// The value of a TEXT header's variable.
    Text {
        /// The value.
        text: String,
    },
    /// The image to show.
    Image(Media),
    /// The video to show.
    Video(Media),
    /// The document to show.
    Document {
        /// The document.
        #[serde(flatten)]
        media: Media,
        /// The file name shown for it.
        #[serde(skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
    },
    /// The location to show.
    Location {
        /// Latitude, in degrees.
        latitude: f64,
        /// Longitude, in degrees.
        longitude: f64,
        /// The place's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The place's address.
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<String>,
    },
}

impl HeaderParam {
    /// The parameter's `type`, as written (`text`, `image` …).
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderParam::Text { .. } => "text",
            HeaderParam::Image(_) => "image",
            HeaderParam::Video(_) => "video",
            HeaderParam::Document { .. } => "document",
            HeaderParam::Location { .. } => "location",
        }
    }

    /// The media, for an image, video or document.
    pub fn media(&self) -> Option<&Media> {
        match self {
            HeaderParam::Image(m) | HeaderParam::Video(m) => Some(m),
            HeaderParam::Document { media, .. } => Some(media),
            _ => None,
        }
    }
}

/// Media by public `link`, or by a provider media `id` (from an upload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    /// A public HTTPS URL.
    Link(String),
    /// A media id from an upload to the provider.
    Id(String),
}

/// The parameter of the button at `index` (its position in the template's BUTTONS).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ButtonParam {
    /// The button's position in the template's BUTTONS, from 0.
    pub index: u32,
    /// What the button gets.
    #[serde(flatten)]
    pub value: ButtonValue,
}

/// What a dynamic button gets from a message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ButtonValue {
    /// The suffix that replaces `{{1}}` in a dynamic URL (also an OTP code for auth templates).
    Url {
        /// The text that replaces the URL's `{{1}}`.
        text: String,
    },
    /// A COPY_CODE button's coupon code.
    CopyCode {
        /// The code.
        coupon_code: String,
    },
    /// A QUICK_REPLY button's payload, echoed when the user taps it.
    QuickReply {
        /// The payload.
        payload: String,
    },
    /// A FLOW button's flow.
    Flow {
        /// The flow token the business's endpoint receives.
        #[serde(skip_serializing_if = "Option::is_none")]
        flow_token: Option<String>,
        /// Data for the flow's first screen.
        #[serde(skip_serializing_if = "Option::is_none")]
        flow_action_data: Option<serde_json::Value>,
    },
}

impl ButtonValue {
    /// Accepted `type` values, for the parser.
    pub const TYPES: [&'static str; 4] = ["url", "copy_code", "quick_reply", "flow"];

    /// The value's `type`, as written (`url`, `copy_code` …).
    pub fn type_name(&self) -> &'static str {
        match self {
            ButtonValue::Url { .. } => "url",
            ButtonValue::CopyCode { .. } => "copy_code",
            ButtonValue::QuickReply { .. } => "quick_reply",
            ButtonValue::Flow { .. } => "flow",
        }
    }
}

/// Parameters of one carousel card.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CardParams {
    /// The card's header parameter (its media).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderParam>,
    /// The card body's variables.
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub body: Params,
    /// The card's button parameters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<ButtonParam>,
}
