//! The neutral template document (ARCHITECTURE §3): Meta's Cloud API template shape.

use serde::Serialize;

use super::button::Button;
use super::component::Component;
use crate::path::FieldPath;

/// A WhatsApp (or Viber) message template, as submitted for review: Meta's Cloud API shape,
/// read from JSON, YAML or TOML with every problem reported at its path.
///
/// ```
/// use wabakit_core::Template;
///
/// let t = Template::from_yaml(r#"
/// name: order_update
/// language: en_US
/// category: UTILITY
/// components:
///   - {type: BODY, text: "Hi {{1}}, your order ships today.", example: {body_text: [[Ana]]}}
/// "#).unwrap();
/// assert!(t.validate().is_empty());
///
/// // Reading reports every mistake, each with its path.
/// let e = Template::from_json(r#"{"name": "x", "language": "en_US", "category": "UTILITY", "componets": []}"#)
///     .unwrap_err();
/// let paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
/// assert_eq!(paths, ["components", "componets"]); // missing, and unknown
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    /// The template's name: lower case, digits and underscores (at most 512 characters).
    pub name: String,
    /// The language code (`en_US`, `zh_CN`).
    pub language: String,
    /// Required to create a WhatsApp template; an update may leave it out to keep the
    /// template's (NXCloud's updateTemplate takes it only to change it, seed 000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// WhatsApp (the default), or Viber where a provider has it.
    #[serde(skip_serializing_if = "Channel::is_whatsapp")]
    pub channel: Channel,
    /// How long WhatsApp keeps trying to deliver a message of this template, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_send_ttl_seconds: Option<i64>,
    /// `POSITIONAL` (`{{1}}`, the default) or `NAMED` (`{{first_name}}`) variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// Alibaba's CategoryChangePaused: pause sending if Meta re-categorises the template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_change_paused: Option<bool>,
    /// Viber's own template category (Alibaba `Category` for Viber templates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viber_category: Option<ViberCategory>,
    /// The components: header, body, footer, buttons, carousel, offer.
    pub components: Vec<Component>,
}

impl Template {
    /// The top-level component of `kind`, if any (the first when there are several).
    pub fn component(&self, kind: ComponentKind) -> Option<&Component> {
        self.components.iter().find(|c| c.kind() == kind)
    }

    /// The category as written or, when it is left out, AUTHENTICATION if the template has an
    /// OTP button (only authentication templates have one); otherwise unknown.
    pub fn category_or_implied(&self) -> Option<Category> {
        self.category.or_else(|| {
            let otp = self.components.iter().any(|c| match c {
                Component::Buttons(b) => b.buttons.iter().any(|b| matches!(b, Button::Otp(_))),
                _ => false,
            });
            otp.then_some(Category::Authentication)
        })
    }

    /// Whether it is an AUTHENTICATION template (or implies one by an OTP button).
    pub fn is_authentication(&self) -> bool {
        self.category_or_implied() == Some(Category::Authentication)
    }

    /// Every component with its place: the template's, and each carousel card's after its
    /// carousel (`components[1].cards[0].components[2]`).
    pub fn each_component(&self) -> impl Iterator<Item = (Place, &Component)> + '_ {
        self.components.iter().enumerate().flat_map(|(i, c)| {
            let cards = match c {
                Component::Carousel(car) => &car.cards[..],
                _ => &[],
            };
            let in_cards = cards.iter().enumerate().flat_map(move |(j, card)| {
                card.components.iter().enumerate().map(move |(k, cc)| {
                    let at = Place {
                        component: i,
                        card: Some((j, k)),
                        button: None,
                    };
                    (at, cc)
                })
            });
            std::iter::once((Place::component(i), c)).chain(in_cards)
        })
    }

    /// Every button with its place, the template's and each card's.
    pub fn each_button(&self) -> impl Iterator<Item = (Place, &Button)> + '_ {
        self.each_component().flat_map(|(at, c)| {
            let buttons = match c {
                Component::Buttons(b) => &b.buttons[..],
                _ => &[],
            };
            buttons.iter().enumerate().map(move |(n, b)| {
                let place = Place {
                    button: Some(n),
                    ..at
                };
                (place, b)
            })
        })
    }

    /// Serialize to JSON (enum values upper-case).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a Template always serializes")
    }

    /// The template as a JSON document (the shape it is read from).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a Template always serializes")
    }
}

/// A template's category, which decides its price and its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Promotions, offers, announcements.
    Marketing,
    /// Updates about a transaction or an account the user asked for.
    Utility,
    /// One-time passwords.
    Authentication,
}

spelled!(Category { Marketing = "MARKETING", Utility = "UTILITY", Authentication = "AUTHENTICATION" });

/// Which channel the template is for, where a provider has more than one (Alibaba TemplateType).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// WhatsApp.
    #[default]
    Whatsapp,
    /// Viber.
    Viber,
}

impl Channel {
    /// Whether the channel is WhatsApp.
    pub fn is_whatsapp(&self) -> bool {
        *self == Channel::Whatsapp
    }
}

spelled!(Channel { Whatsapp = "whatsapp", Viber = "viber" });

/// Viber template kinds, as Alibaba lists them for Viber templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViberCategory {
    /// Text only.
    Text,
    /// An image only.
    Image,
    /// Text, an image and a button.
    TextImageButton,
    /// Text and a button.
    TextButton,
    /// A document.
    Document,
    /// A video only.
    Video,
    /// Text and a video.
    TextVideo,
    /// Text, a video and a button.
    TextVideoButton,
    /// Text and an image.
    TextImage,
}

spelled!(ViberCategory { Text = "text", Image = "image", TextImageButton = "text_image_button", TextButton = "text_button", Document = "document", Video = "video", TextVideo = "text_video", TextVideoButton = "text_video_button", TextImage = "text_image" });

/// Meta's `parameter_format`: `{{1}}` placeholders or `{{first_name}}` placeholders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParameterFormat {
    /// `{{1}}`, `{{2}}` …
    #[default]
    Positional,
    /// `{{first_name}}` …
    Named,
}

spelled!(ParameterFormat { Positional = "POSITIONAL", Named = "NAMED" });

/// The kind of a component, without its contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComponentKind {
    /// A header.
    Header,
    /// A body.
    Body,
    /// A footer.
    Footer,
    /// Buttons.
    Buttons,
    /// A carousel.
    Carousel,
    /// A limited-time offer.
    LimitedTimeOffer,
}

spelled!(ComponentKind { Header = "HEADER", Body = "BODY", Footer = "FOOTER", Buttons = "BUTTONS", Carousel = "CAROUSEL", LimitedTimeOffer = "LIMITED_TIME_OFFER" });

/// Where a component or button is in a template, by position: its path is written only when
/// asked for, so that walking a valid template (every request's validation) writes none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    component: usize,
    /// The card, and the component within it, for a carousel card's component.
    card: Option<(usize, usize)>,
    button: Option<usize>,
}

impl Place {
    fn component(i: usize) -> Place {
        Place {
            component: i,
            card: None,
            button: None,
        }
    }

    /// The path (`components[2].cards[0].components[1].buttons[0]`).
    pub fn path(&self) -> FieldPath {
        let mut p = FieldPath::from("components").index(self.component);
        if let Some((card, inner)) = self.card {
            p = p.key("cards").index(card).key("components").index(inner);
        }
        if let Some(b) = self.button {
            p = p.key("buttons").index(b);
        }
        p
    }

    /// The path of field `name` of what is here.
    pub fn key(&self, name: &str) -> FieldPath {
        self.path().key(name)
    }

    /// Whether it is inside a carousel card.
    pub fn in_card(&self) -> bool {
        self.card.is_some()
    }
}
