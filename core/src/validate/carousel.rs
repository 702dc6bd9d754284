//! CAROUSEL checks: card count, template layout, and cards that all look alike.

use super::rules;
use super::Checker;
use crate::model::*;
use crate::path::At;

/// What must be the same on every card.
#[derive(PartialEq)]
struct Shape {
    header: Option<HeaderFormat>,
    body: bool,
    buttons: Vec<ButtonKind>,
}

impl Checker<'_> {
    pub(super) fn carousel(&mut self, at: &At, c: &Carousel) {
        let cards_path = at.key("cards");
        let limit = self.limit(&rules::CAROUSEL_CARDS);
        if !limit.allows(c.cards.len() as i64) {
            self.push(
                &cards_path,
                &rules::CAROUSEL_CARDS,
                format!("has {} cards; {} allowed", c.cards.len(), limit.describe()),
            );
        }
        if self.known_not(Category::Marketing) {
            self.push(
                at,
                &rules::CAROUSEL_CATEGORY,
                "carousel templates must be MARKETING",
            );
        }
        for (i, other) in self.t.components.iter().enumerate() {
            if !matches!(other.kind(), ComponentKind::Body | ComponentKind::Carousel) {
                self.push(
                    &At::from("components").index(i),
                    &rules::CAROUSEL_LAYOUT,
                    format!(
                        "a carousel template has only a BODY and the CAROUSEL, not {}",
                        other.kind().as_str()
                    ),
                );
            }
        }
        let mut first: Option<Shape> = None;
        for (i, card) in c.cards.iter().enumerate() {
            let card_path = cards_path.index(i);
            let shape = self.card(&card_path, card);
            match &first {
                None => first = Some(shape),
                Some(f) if *f != shape => self.push(
                    &card_path,
                    &rules::CAROUSEL_UNIFORM,
                    "differs from card 0; every card needs the same header format, body and buttons",
                ),
                _ => {}
            }
        }
    }

    fn card(&mut self, at: &At, card: &Card) -> Shape {
        let comps_path = at.key("components");
        let mut shape = Shape {
            header: None,
            body: false,
            buttons: Vec::new(),
        };
        let mut seen: Vec<ComponentKind> = Vec::new();
        for (j, comp) in card.components.iter().enumerate() {
            let cp = comps_path.index(j);
            let k = comp.kind();
            if seen.contains(&k) {
                self.push(
                    &cp,
                    &rules::CAROUSEL_CARD_COMPONENTS,
                    format!("a second {} in one card", k.as_str()),
                );
                continue;
            }
            seen.push(k);
            match comp {
                Component::Header(h) => {
                    shape.header = Some(h.format);
                    self.media_details(&cp, h);
                    if !matches!(h.format, HeaderFormat::Image | HeaderFormat::Video) {
                        self.push(
                            &cp.key("format"),
                            &rules::CAROUSEL_CARD_HEADER,
                            "a card header is IMAGE or VIDEO",
                        );
                    } else {
                        self.media_sample(&cp, h.example.as_ref(), &rules::CAROUSEL_CARD_HEADER);
                    }
                }
                Component::Body(b) => {
                    shape.body = true;
                    self.body(&cp, b, &rules::CAROUSEL_CARD_BODY_LENGTH);
                }
                Component::Buttons(b) => {
                    shape.buttons = b.buttons.iter().map(Button::kind).collect();
                    let limit = self.limit(&rules::CAROUSEL_CARD_BUTTONS);
                    let bp = cp.key("buttons");
                    if !limit.allows(b.buttons.len() as i64) {
                        self.push(
                            &bp,
                            &rules::CAROUSEL_CARD_BUTTONS,
                            format!(
                                "has {} buttons; a card has {}",
                                b.buttons.len(),
                                limit.describe()
                            ),
                        );
                    }
                    for (n, btn) in b.buttons.iter().enumerate() {
                        if !matches!(
                            btn,
                            Button::QuickReply(_) | Button::Url(_) | Button::PhoneNumber(_)
                        ) {
                            self.push(
                                &bp.index(n).key("type"),
                                &rules::CAROUSEL_CARD_BUTTONS,
                                "card buttons are QUICK_REPLY, URL or PHONE_NUMBER",
                            );
                        }
                        self.button(&bp.index(n), btn);
                    }
                }
                other => self.push(
                    &cp,
                    &rules::CAROUSEL_CARD_COMPONENTS,
                    format!("a card cannot have {}", other.kind().as_str()),
                ),
            }
        }
        for needed in [ComponentKind::Header, ComponentKind::Buttons] {
            if !seen.contains(&needed) {
                self.push(
                    &comps_path,
                    &rules::CAROUSEL_CARD_COMPONENTS,
                    format!("a card needs a {}", needed.as_str()),
                );
            }
        }
        shape
    }
}
