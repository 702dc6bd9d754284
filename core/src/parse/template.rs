//! `Value` → [`Template`].

use serde_json::Value;

use super::reader::{enum_value, list, string_list, Obj, WRONG_TYPE};
use crate::model::*;
use crate::path::FieldPath;
use crate::problem::Problems;

pub fn template(v: &Value, p: &mut Problems) -> Option<Template> {
    let mut o = Obj::new(v, FieldPath::root(), p)?;
    let name = o.req_str("name", p);
    let language = o.req_str("language", p);
    let category = match o.get("category") {
        Some(v) => Some(enum_value(
            v,
            &FieldPath::from("category"),
            p,
            Category::ALL,
        )),
        None => Some(None),
    };
    let channel = match o.get("channel") {
        Some(v) => enum_value(v, &FieldPath::from("channel"), p, Channel::ALL),
        None => Some(Channel::Whatsapp),
    };
    let message_send_ttl_seconds = o.opt_int("message_send_ttl_seconds", p);
    let parameter_format = o.get("parameter_format").and_then(|v| {
        enum_value(
            v,
            &FieldPath::from("parameter_format"),
            p,
            ParameterFormat::ALL,
        )
    });
    let category_change_paused = o.opt_bool("category_change_paused", p);
    let viber_category = o
        .get("viber_category")
        .and_then(|v| enum_value(v, &FieldPath::from("viber_category"), p, ViberCategory::ALL));
    let components = o
        .req("components", p)
        .and_then(|v| list(v, &FieldPath::from("components"), p, component));
    o.finish(p);
    Some(Template {
        name: name?,
        language: language?,
        category: category?,
        channel: channel?,
        message_send_ttl_seconds,
        parameter_format,
        category_change_paused,
        viber_category,
        components: components?,
    })
}

pub fn component(v: &Value, path: FieldPath, p: &mut Problems) -> Option<Component> {
    let mut o = Obj::new(v, path, p)?;
    let kind = enum_value(o.req("type", p)?, &o.at("type"), p, ComponentKind::ALL)?;
    let c = component_fields(kind, &mut o, p);
    // Unknown fields are reported even when a known one failed.
    o.finish(p);
    c
}

fn component_fields(kind: ComponentKind, o: &mut Obj, p: &mut Problems) -> Option<Component> {
    match kind {
        ComponentKind::Header => header(o, p).map(Component::Header),
        ComponentKind::Body => body(o, p).map(Component::Body),
        ComponentKind::Footer => {
            let text = o.opt_str("text", p);
            let code_expiration_minutes = o.opt_int("code_expiration_minutes", p);
            Some(Component::Footer(Footer {
                text,
                code_expiration_minutes,
            }))
        }
        ComponentKind::Buttons => {
            let at = o.at("buttons");
            let buttons = list(o.req("buttons", p)?, &at, p, button)?;
            Some(Component::Buttons(Buttons { buttons }))
        }
        ComponentKind::Carousel => {
            let at = o.at("cards");
            let cards = list(o.req("cards", p)?, &at, p, card)?;
            Some(Component::Carousel(Carousel { cards }))
        }
        ComponentKind::LimitedTimeOffer => {
            let at = o.at("limited_time_offer");
            let d = o.req("limited_time_offer", p).and_then(|v| offer(v, at, p));
            d.map(|limited_time_offer| {
                Component::LimitedTimeOffer(LimitedTimeOffer { limited_time_offer })
            })
        }
    }
}

fn header(o: &mut Obj, p: &mut Problems) -> Option<Header> {
    let format = o
        .req("format", p)
        .and_then(|v| enum_value(v, &o.at("format"), p, HeaderFormat::ALL));
    let text = o.opt_str("text", p);
    let at = o.at("example");
    let example = match o.get("example") {
        Some(v) => Some(header_example(v, at, p)?),
        None => None,
    };
    Some(Header {
        format: format?,
        text,
        example,
        caption: o.opt_str("caption", p),
        filename: o.opt_str("filename", p),
        thumb_url: o.opt_str("thumb_url", p),
        duration: o.opt_int("duration", p),
        file_type: o.opt_str("file_type", p),
    })
}

fn header_example(v: &Value, path: FieldPath, p: &mut Problems) -> Option<HeaderExample> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("header_text");
    let header_text = o.get("header_text").map(|v| one_or_many(v, &at, p));
    let at = o.at("header_text_named_params");
    let header_text_named_params = o
        .get("header_text_named_params")
        .map(|v| named_examples(v, &at, p));
    let at = o.at("header_handle");
    let header_handle = o.get("header_handle").map(|v| one_or_many(v, &at, p));
    let custom_header_handle_url = o.opt_str("custom_header_handle_url", p);
    o.finish(p);
    Some(HeaderExample {
        header_text: transpose(header_text)?,
        header_text_named_params: transpose(header_text_named_params)?,
        header_handle: transpose(header_handle)?,
        custom_header_handle_url,
    })
}

fn body(o: &mut Obj, p: &mut Problems) -> Option<Body> {
    let text = o.opt_str("text", p);
    let add_security_recommendation = o.opt_bool("add_security_recommendation", p);
    let at = o.at("example");
    let example = match o.get("example") {
        Some(v) => Some(body_example(v, at, p)?),
        None => None,
    };
    Some(Body {
        text,
        example,
        add_security_recommendation,
    })
}

fn body_example(v: &Value, path: FieldPath, p: &mut Problems) -> Option<BodyExample> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("body_text");
    let body_text = o
        .get("body_text")
        .map(|v| list(v, &at, p, |row, at, p| string_list(row, &at, p)));
    let at = o.at("body_text_named_params");
    let named = o
        .get("body_text_named_params")
        .map(|v| named_examples(v, &at, p));
    o.finish(p);
    Some(BodyExample {
        body_text: transpose(body_text)?,
        body_text_named_params: transpose(named)?,
    })
}

fn named_examples(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<Vec<NamedExample>> {
    list(v, path, p, |it, at, p| {
        let mut o = Obj::new(it, at, p)?;
        let param_name = o.req_str("param_name", p);
        let example = o.req_str("example", p);
        o.finish(p);
        Some(NamedExample {
            param_name: param_name?,
            example: example?,
        })
    })
}

fn one_or_many(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<OneOrMany> {
    match v {
        Value::String(s) => Some(OneOrMany::One(s.clone())),
        Value::Array(_) => string_list(v, path, p).map(OneOrMany::Many),
        other => {
            p.push(
                path,
                WRONG_TYPE,
                format!(
                    "expected a string or a list of strings, found {}",
                    super::reader::kind_of(other)
                ),
            );
            None
        }
    }
}

fn card(v: &Value, path: FieldPath, p: &mut Problems) -> Option<Card> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("components");
    let components = o
        .req("components", p)
        .and_then(|v| list(v, &at, p, component));
    o.finish(p);
    Some(Card {
        components: components?,
    })
}

fn offer(v: &Value, path: FieldPath, p: &mut Problems) -> Option<OfferDetails> {
    let mut o = Obj::new(v, path, p)?;
    let text = o.req_str("text", p);
    let has_expiration = o.opt_bool("has_expiration", p);
    o.finish(p);
    Some(OfferDetails {
        text: text?,
        has_expiration,
    })
}

pub fn button(v: &Value, path: FieldPath, p: &mut Problems) -> Option<Button> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("type");
    let kind = o.req("type", p)?;
    let table: Vec<(&'static str, &'static str)> = Button::TYPES.iter().map(|t| (*t, *t)).collect();
    let kind = enum_value(kind, &at, p, &table)?;
    let b = button_fields(kind, &mut o, p);
    // Unknown fields are reported even when a known one failed.
    o.finish(p);
    b
}

fn button_fields(kind: &str, o: &mut Obj, p: &mut Problems) -> Option<Button> {
    match kind {
        "QUICK_REPLY" => {
            let text = o.req_str("text", p);
            let is_opt_out = o.opt_bool("is_opt_out", p);
            Some(Button::QuickReply(QuickReply {
                text: text?,
                is_opt_out,
            }))
        }
        "URL" => {
            let text = o.req_str("text", p);
            let url = o.req_str("url", p);
            let at = o.at("example");
            let example = o.get("example").map(|v| string_list(v, &at, p));
            Some(Button::Url(UrlButton {
                text: text?,
                url: url?,
                example: transpose(example)?,
            }))
        }
        "PHONE_NUMBER" => {
            let text = o.req_str("text", p);
            let phone_number = o.req_str("phone_number", p);
            Some(Button::PhoneNumber(PhoneNumberButton {
                text: text?,
                phone_number: phone_number?,
            }))
        }
        "COPY_CODE" => {
            let example = o.req_str("example", p);
            let text = o.opt_str("text", p);
            Some(Button::CopyCode(CopyCodeButton {
                example: example?,
                text,
            }))
        }
        "OTP" => otp(o, p).map(Button::Otp),
        "FLOW" => {
            let text = o.req_str("text", p);
            let flow_id = o.opt_str("flow_id", p);
            let flow_name = o.opt_str("flow_name", p);
            let flow_json = o.opt_str("flow_json", p);
            let at = o.at("flow_action");
            let flow_action = match o.get("flow_action") {
                Some(v) => Some(enum_value(v, &at, p, FlowAction::ALL)?),
                None => None,
            };
            let navigate_screen = o.opt_str("navigate_screen", p);
            Some(Button::Flow(FlowButton {
                text: text?,
                flow_id,
                flow_name,
                flow_json,
                flow_action,
                navigate_screen,
            }))
        }
        "CATALOG" => o
            .req_str("text", p)
            .map(|text| Button::Catalog(TextButton { text })),
        _ => o
            .req_str("text", p)
            .map(|text| Button::Mpm(TextButton { text })),
    }
}

fn otp(o: &mut Obj, p: &mut Problems) -> Option<OtpButton> {
    let at = o.at("otp_type");
    let otp_type = o
        .req("otp_type", p)
        .and_then(|v| enum_value(v, &at, p, OtpType::ALL));
    let text = o.opt_str("text", p);
    let autofill_text = o.opt_str("autofill_text", p);
    let package_name = o.opt_str("package_name", p);
    let signature_hash = o.opt_str("signature_hash", p);
    let zero_tap_terms_accepted = o.opt_bool("zero_tap_terms_accepted", p);
    let at = o.at("supported_apps");
    let supported_apps = o.get("supported_apps").map(|v| {
        list(v, &at, p, |it, at, p| {
            let mut a = Obj::new(it, at, p)?;
            let package_name = a.req_str("package_name", p);
            let signature_hash = a.req_str("signature_hash", p);
            a.finish(p);
            Some(SupportedApp {
                package_name: package_name?,
                signature_hash: signature_hash?,
            })
        })
    });
    Some(OtpButton {
        otp_type: otp_type?,
        text,
        autofill_text,
        package_name,
        signature_hash,
        zero_tap_terms_accepted,
        supported_apps: transpose(supported_apps)?,
    })
}

/// `None` (field absent) stays `Some(None)`; a field that failed to read is `None`.
fn transpose<T>(v: Option<Option<T>>) -> Option<Option<T>> {
    match v {
        None => Some(None),
        Some(Some(t)) => Some(Some(t)),
        Some(None) => None,
    }
}
