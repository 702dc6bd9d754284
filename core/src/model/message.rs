//! The neutral template message (ARCHITECTURE §4), written for people, not in Meta's nested form.

use serde::Serialize;

/// A message that sends an approved template to one recipient.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateMessage {
    /// Recipient, in any readable form (`+86 136 0000 9759`); each provider normalizes it.
    pub to: String,
    /// Template name.
    pub template: String,
    pub language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderParam>,
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub body: Params,
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

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a TemplateMessage always serializes")
    }
}

/// Values of a component's placeholders: a list for `{{1}}`-style templates, or
/// name → value pairs for NAMED templates (kept in the order written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Params {
    Positional(Vec<String>),
    Named(NamedParams),
}

impl Default for Params {
    fn default() -> Self {
        Params::Positional(Vec::new())
    }
}

impl Params {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        match self {
            Params::Positional(v) => v.len(),
            Params::Named(n) => n.0.len(),
        }
    }

    /// The values in order (positional order, or the order names were written).
    pub fn values(&self) -> Vec<&str> {
        match self {
            Params::Positional(v) => v.iter().map(String::as_str).collect(),
            Params::Named(n) => n.0.iter().map(|(_, v)| v.as_str()).collect(),
        }
    }
}

/// Named parameter values, serialized as a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamedParams(pub Vec<(String, String)>);

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

/// The header's parameter: text for a `{{1}}` text header, or the media to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum HeaderParam {
    Text {
        text: String,
    },
    Image(Media),
    Video(Media),
    Document {
        #[serde(flatten)]
        media: Media,
        #[serde(skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
    },
    Location {
        latitude: f64,
        longitude: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<String>,
    },
}

impl HeaderParam {
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderParam::Text { .. } => "text",
            HeaderParam::Image(_) => "image",
            HeaderParam::Video(_) => "video",
            HeaderParam::Document { .. } => "document",
            HeaderParam::Location { .. } => "location",
        }
    }

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
    Link(String),
    Id(String),
}

/// The parameter of the button at `index` (its position in the template's BUTTONS).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ButtonParam {
    pub index: u32,
    #[serde(flatten)]
    pub value: ButtonValue,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ButtonValue {
    /// The suffix that replaces `{{1}}` in a dynamic URL (also an OTP code for auth templates).
    Url {
        text: String,
    },
    CopyCode {
        coupon_code: String,
    },
    QuickReply {
        payload: String,
    },
    Flow {
        #[serde(skip_serializing_if = "Option::is_none")]
        flow_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        flow_action_data: Option<serde_json::Value>,
    },
}

impl ButtonValue {
    pub const TYPES: [&'static str; 4] = ["url", "copy_code", "quick_reply", "flow"];

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<HeaderParam>,
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub body: Params,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<ButtonParam>,
}
