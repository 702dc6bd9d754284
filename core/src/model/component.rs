//! Template components: HEADER, BODY, FOOTER, BUTTONS, CAROUSEL, LIMITED_TIME_OFFER.

use serde::Serialize;

use super::button::Button;
use super::template::ComponentKind;

/// One part of a template (`type` in documents): at most one of each, in this order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Component {
    /// `HEADER`: text, media or a location, above the body.
    Header(Header),
    /// `BODY`: the message text, with its variables.
    Body(Body),
    /// `FOOTER`: a line of small text below the body.
    Footer(Footer),
    /// `BUTTONS`: up to ten buttons.
    Buttons(Buttons),
    /// `CAROUSEL`: up to ten cards, each with its own header, body and buttons.
    Carousel(Carousel),
    /// `LIMITED_TIME_OFFER`: an offer with an optional expiry (MARKETING).
    LimitedTimeOffer(LimitedTimeOffer),
}

impl Component {
    /// The component's kind, without its contents.
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

/// A template's header.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Header {
    /// TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.
    pub format: HeaderFormat,
    /// The text of a TEXT header (at most 60 characters, at most one variable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The header's examples: its variable's text, or its sample media.
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
    /// A header of this format with nothing else set.
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

    /// Whether a Viber-only detail (thumbnail, duration, file type) is set.
    pub fn has_viber_details(&self) -> bool {
        self.thumb_url.is_some() || self.duration.is_some() || self.file_type.is_some()
    }
}

/// What a header shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HeaderFormat {
    /// Text, with at most one variable.
    #[default]
    Text,
    /// An image (its sample given at creation).
    Image,
    /// A video.
    Video,
    /// A document (a PDF, say).
    Document,
    /// A location, given by each message.
    Location,
}

impl HeaderFormat {
    /// IMAGE, VIDEO or DOCUMENT.
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
    /// One string.
    One(String),
    /// A list of strings.
    Many(Vec<String>),
}

impl OneOrMany {
    /// Every value, as written.
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }

    /// The first value, if any.
    pub fn first(&self) -> Option<&str> {
        self.values().into_iter().next()
    }
}

/// A header's examples.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HeaderExample {
    /// The example of a TEXT header's variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_text: Option<OneOrMany>,
    /// The examples of a TEXT header's named variable.
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
    /// The variable's name (`first_name`).
    pub param_name: String,
    /// Its example value.
    pub example: String,
}

/// A template's body.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Body {
    /// Absent in AUTHENTICATION templates, where WhatsApp supplies the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The examples of the body's variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<BodyExample>,
    /// AUTHENTICATION only: add "For your security, do not share this code."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_security_recommendation: Option<bool>,
}

/// A body's examples.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BodyExample {
    /// One example value per `{{n}}`, in order (one list, in Meta's list of lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Vec<Vec<String>>>,
    /// One example per named variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text_named_params: Option<Vec<NamedExample>>,
}

/// A template's footer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Footer {
    /// The footer's text (at most 60 characters, no variables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// AUTHENTICATION only: "This code expires in N minutes."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_expiration_minutes: Option<i64>,
}

/// A template's buttons.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Buttons {
    /// The buttons, in the order shown.
    pub buttons: Vec<Button>,
}

/// A carousel: cards the user swipes through.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Carousel {
    /// The cards (2 to 10), each in the same shape.
    pub cards: Vec<Card>,
}

/// One carousel card: a HEADER (image or video), a BODY and BUTTONS.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Card {
    /// The card's components: a media header, a body, buttons.
    pub components: Vec<Component>,
}

impl Card {
    /// The card's component of this kind, if it has one.
    pub fn component(&self, kind: ComponentKind) -> Option<&Component> {
        self.components.iter().find(|c| c.kind() == kind)
    }
}

/// A limited-time offer (MARKETING).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LimitedTimeOffer {
    /// The offer.
    pub limited_time_offer: OfferDetails,
}

/// What a limited-time offer says.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OfferDetails {
    /// The offer's text (at most 16 characters).
    pub text: String,
    /// Whether the offer expires (each message then gives the time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_expiration: Option<bool>,
}
