//! `Value` → [`TemplateMessage`].

use serde_json::Value;

use super::reader::{enum_value, int, kind_of, list, number, string, Obj, WRONG_TYPE};
use crate::model::*;
use crate::path::FieldPath;
use crate::problem::Problems;

pub fn message(v: &Value, p: &mut Problems) -> Option<TemplateMessage> {
    let mut o = Obj::new(v, FieldPath::root(), p)?;
    let to = o.req_str("to", p);
    let template = o.req_str("template", p);
    let language = o.req_str("language", p);
    let header = opt(&mut o, "header", p, header_param);
    let body = opt(&mut o, "body", p, params);
    let buttons = opt(&mut o, "buttons", p, |v, at, p| {
        list(v, &at, p, button_param)
    });
    let cards = opt(&mut o, "cards", p, |v, at, p| list(v, &at, p, card_params));
    let client_ref = o.opt_str("client_ref", p);
    o.finish(p);
    Some(TemplateMessage {
        to: to?,
        template: template?,
        language: language?,
        header: header?,
        body: body?.unwrap_or_default(),
        buttons: buttons?.unwrap_or_default(),
        cards: cards?.unwrap_or_default(),
        client_ref,
    })
}

/// An optional field read by `read`: `Some(None)` when absent, `None` when it failed.
fn opt<T>(
    o: &mut Obj,
    key: &'static str,
    p: &mut Problems,
    read: impl FnOnce(&Value, FieldPath, &mut Problems) -> Option<T>,
) -> Option<Option<T>> {
    let at = o.at(key);
    match o.get(key) {
        None => Some(None),
        Some(v) => read(v, at, p).map(Some),
    }
}

fn params(v: &Value, path: FieldPath, p: &mut Problems) -> Option<Params> {
    match v {
        Value::Array(_) => list(v, &path, p, body_value).map(Params::Positional),
        Value::Object(map) => {
            let mut out = Vec::with_capacity(map.len());
            let mut ok = true;
            for (k, it) in map {
                match body_value(it, path.key(k), p) {
                    Some(s) => out.push((k.clone(), s)),
                    None => ok = false,
                }
            }
            ok.then_some(Params::Named(NamedParams(out)))
        }
        other => {
            p.push(
                &path,
                WRONG_TYPE,
                format!(
                    "expected a list of values, or an object of named values, found {}",
                    kind_of(other)
                ),
            );
            None
        }
    }
}

/// A body value: text (a number is accepted and written as text, since a user who writes
/// `"body": [42]` means "42"), or a typed value given as an object with its `type`.
fn body_value(v: &Value, path: FieldPath, p: &mut Problems) -> Option<BodyValue> {
    match v {
        Value::Number(n) => Some(BodyValue::Text(n.to_string())),
        Value::Object(_) => typed_value(v, path, p),
        _ => string(v, &path, p).map(BodyValue::Text),
    }
}

const VALUE_TYPES: [(&str, &str); 2] = [("currency", "currency"), ("date_time", "date_time")];

fn typed_value(v: &Value, path: FieldPath, p: &mut Problems) -> Option<BodyValue> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("type");
    let kind = o
        .req("type", p)
        .and_then(|v| enum_value(v, &at, p, &VALUE_TYPES));
    let fallback_value = o.req_str("fallback_value", p);
    let value = match kind? {
        "currency" => {
            let code = o.req_str("code", p);
            let at = o.at("amount_1000");
            let amount = o.req("amount_1000", p).and_then(|v| int(v, &at, p));
            BodyValue::Currency(CurrencyValue {
                fallback_value: fallback_value?,
                code: code?,
                amount_1000: amount?,
            })
        }
        _ => BodyValue::DateTime(DateTimeValue {
            fallback_value: fallback_value?,
        }),
    };
    o.finish(p);
    Some(value)
}

const HEADER_TYPES: [(&str, &str); 5] = [
    ("text", "text"),
    ("image", "image"),
    ("video", "video"),
    ("document", "document"),
    ("location", "location"),
];

fn header_param(v: &Value, path: FieldPath, p: &mut Problems) -> Option<HeaderParam> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("type");
    let kind = enum_value(o.req("type", p)?, &at, p, &HEADER_TYPES)?;
    let h = header_fields(kind, &mut o, p);
    o.finish(p);
    h
}

fn header_fields(kind: &str, o: &mut Obj, p: &mut Problems) -> Option<HeaderParam> {
    match kind {
        "text" => o.req_str("text", p).map(|text| HeaderParam::Text { text }),
        "image" => media(o, p).map(HeaderParam::Image),
        "video" => media(o, p).map(HeaderParam::Video),
        "document" => {
            let m = media(o, p);
            let filename = o.opt_str("filename", p);
            m.map(|media| HeaderParam::Document { media, filename })
        }
        _ => {
            let lat = o
                .req("latitude", p)
                .and_then(|v| coordinate(v, &o.at("latitude"), p));
            let lon = o
                .req("longitude", p)
                .and_then(|v| coordinate(v, &o.at("longitude"), p));
            let name = o.opt_str("name", p);
            let address = o.opt_str("address", p);
            Some(HeaderParam::Location {
                latitude: lat?,
                longitude: lon?,
                name,
                address,
            })
        }
    }
}

/// Vendors disagree whether coordinates are numbers or strings; accept both.
fn coordinate(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<f64> {
    match v {
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Some(f),
            _ => {
                p.push(path, WRONG_TYPE, format!("expected a number, found {s:?}"));
                None
            }
        },
        _ => number(v, path, p),
    }
}

fn media(o: &mut Obj, p: &mut Problems) -> Option<Media> {
    let link = o.opt_str("link", p);
    let id = o.opt_str("id", p);
    match (link, id) {
        (Some(l), None) => Some(Media::Link(l)),
        (None, Some(i)) => Some(Media::Id(i)),
        (Some(_), Some(_)) => {
            p.push(
                &o.path,
                super::reader::UNKNOWN_VALUE,
                "give either `link` or `id`, not both",
            );
            None
        }
        (None, None) => {
            if !(o.has("link") || o.has("id")) {
                p.push(
                    &o.at("link"),
                    super::reader::MISSING_FIELD,
                    "required field is missing (or give `id`)",
                );
            }
            None
        }
    }
}

fn button_param(v: &Value, path: FieldPath, p: &mut Problems) -> Option<ButtonParam> {
    let mut o = Obj::new(v, path, p)?;
    let at = o.at("index");
    let index = o.req("index", p).and_then(|v| index(v, &at, p));
    let at = o.at("type");
    let table: Vec<(&'static str, &'static str)> =
        ButtonValue::TYPES.iter().map(|t| (*t, *t)).collect();
    let kind = o.req("type", p).and_then(|v| enum_value(v, &at, p, &table));
    let value = match kind {
        Some("url") => o.req_str("text", p).map(|text| ButtonValue::Url { text }),
        Some("copy_code") => o
            .req_str("coupon_code", p)
            .map(|coupon_code| ButtonValue::CopyCode { coupon_code }),
        Some("quick_reply") => o
            .req_str("payload", p)
            .map(|payload| ButtonValue::QuickReply { payload }),
        Some(_) => {
            let flow_token = o.opt_str("flow_token", p);
            let flow_action_data = o.get("flow_action_data").cloned();
            Some(ButtonValue::Flow {
                flow_token,
                flow_action_data,
            })
        }
        None => return None,
    };
    o.finish(p);
    Some(ButtonParam {
        index: index?,
        value: value?,
    })
}

/// Button positions are written as numbers or, NXCloud-style, as strings (`"0"`).
fn index(v: &Value, path: &FieldPath, p: &mut Problems) -> Option<u32> {
    let n = match v {
        Value::String(s) => s.parse::<i64>().ok(),
        Value::Number(_) => int(v, path, p),
        other => {
            p.push(
                path,
                WRONG_TYPE,
                format!(
                    "expected a button position (0, 1, …), found {}",
                    kind_of(other)
                ),
            );
            return None;
        }
    };
    match n.and_then(|n| u32::try_from(n).ok()) {
        Some(n) => Some(n),
        None => {
            p.push(path, WRONG_TYPE, "expected a button position (0, 1, …)");
            None
        }
    }
}

fn card_params(v: &Value, path: FieldPath, p: &mut Problems) -> Option<CardParams> {
    let mut o = Obj::new(v, path, p)?;
    let header = opt(&mut o, "header", p, header_param);
    let body = opt(&mut o, "body", p, params);
    let buttons = opt(&mut o, "buttons", p, |v, at, p| {
        list(v, &at, p, button_param)
    });
    o.finish(p);
    Some(CardParams {
        header: header?,
        body: body?.unwrap_or_default(),
        buttons: buttons?.unwrap_or_default(),
    })
}
