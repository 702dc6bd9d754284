//! Template components: HEADER, BODY, FOOTER, BUTTONS, CAROUSEL, LIMITED_TIME_OFFER.

use serde::Serialize;

use super::button::Button;
use super::template::ComponentKind;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Component {
    Header(Header),
    Body(Body),
    Footer(Footer),
    Buttons(Buttons),
    Carousel(Carousel),
    LimitedTimeOffer(LimitedTimeOffer),
}

impl Component {
    pub fn kind(&self) -> ComponentKind {
        match self {
            Component::Header(_) => ComponentKind::Header,
            Component::Body(_) => ComponentKind::Body,
            Component::Footer(_) => ComponentKind::Footer,
            Component::Buttons(_) => ComponentKind::Buttons,
            Component::Carousel(_) => ComponentKind::Carousel,
            Component::LimitedTimeOffer(_) => ComponentKind::LimitedTimeOffer,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Header {
    pub format: HeaderFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<HeaderExample>,
    /// A description shown with IMAGE, VIDEO or DOCUMENT media (Alibaba `Caption`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The file name of a DOCUMENT (Alibaba `FileName`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Viber: the thumbnail of a video (Alibaba `ThumbUrl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
    /// Viber: the length of a video in seconds, 0–600 (Alibaba `Duration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Viber: the type of a file, such as `docx` (Alibaba `FileType`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
}

impl Header {
    pub fn new(format: HeaderFormat) -> Self {
        Header {
            format,
            ..Default::default()
        }
    }

    /// Whether any provider-specific media detail is set.
    pub fn has_media_details(&self) -> bool {
        self.caption.is_some() || self.filename.is_some() || self.has_viber_details()
    }

    pub fn has_viber_details(&self) -> bool {
        self.thumb_url.is_some() || self.duration.is_some() || self.file_type.is_some()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HeaderFormat {
    #[default]
    Text,
    Image,
    Video,
    Document,
    Location,
}

impl HeaderFormat {
    pub fn is_media(self) -> bool {
        matches!(
            self,
            HeaderFormat::Image | HeaderFormat::Video | HeaderFormat::Document
        )
    }
}

spelled!(HeaderFormat { Text = "TEXT", Image = "IMAGE", Video = "VIDEO", Document = "DOCUMENT", Location = "LOCATION" });

/// A value that vendors write either as one string or as a list of strings
/// (NXCloud's `header_handle`/`header_text`); the written shape is kept so that a document
/// round-trips unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }

    pub fn first(&self) -> Option<&str> {
        self.values().into_iter().next()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HeaderExample {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_text: Option<OneOrMany>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_text_named_params: Option<Vec<NamedExample>>,
    /// Media handle from the provider's upload API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_handle: Option<OneOrMany>,
    /// A public URL of the sample media, instead of a handle (NXCloud; Alibaba's `Url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_header_handle_url: Option<String>,
}

/// An example value of a named parameter (`{"param_name": "first_name", "example": "Ana"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedExample {
    pub param_name: String,
    pub example: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Body {
    /// Absent in AUTHENTICATION templates, where WhatsApp supplies the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<BodyExample>,
    /// AUTHENTICATION only: add "For your security, do not share this code."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_security_recommendation: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BodyExample {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Vec<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text_named_params: Option<Vec<NamedExample>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Footer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// AUTHENTICATION only: "This code expires in N minutes."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_expiration_minutes: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Buttons {
    pub buttons: Vec<Button>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Carousel {
    pub cards: Vec<Card>,
}

/// One carousel card: a HEADER (image or video), a BODY and BUTTONS.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Card {
    pub components: Vec<Component>,
}

impl Card {
    pub fn component(&self, kind: ComponentKind) -> Option<&Component> {
        self.components.iter().find(|c| c.kind() == kind)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LimitedTimeOffer {
    pub limited_time_offer: OfferDetails,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OfferDetails {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_expiration: Option<bool>,
}
