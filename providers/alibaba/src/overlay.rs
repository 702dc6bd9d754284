//! What cams can express: the overlay on the common rules. A neutral field cams' model (seed
//! 003, the 5.3.1 SDK) has no field for is reported `unsupported.field` with its path, never
//! dropped.

use wabakit_core::*;

use crate::mapping;

/// What cams can express.
pub fn capabilities() -> Capabilities {
    let mut c = Capabilities::everything();
    c.header_formats.retain(|f| *f != HeaderFormat::Location);
    c.named_parameters = false;
    // Media samples are URLs (uploaded to OSS first), never Meta upload handles.
    c.header_handle = false;
    // A CouponCode may be `$(couponCode)`, filled at send time (seed 003).
    c.coupon_variables = true;
    // cams' button has no field for Meta's zero-tap terms.
    c.zero_tap_terms = false;
    // Only templates not yet reviewed, or rejected, can be modified (seed 003).
    c.editable = vec![
        TemplateStatus::Rejected,
        TemplateStatus::Other("UNAUDIT".into()),
    ];
    c
}

fn unsupported(problems: &mut Vec<Problem>, at: &FieldPath, message: &str) {
    problems.push(Problem::new(at, rules::UNSUPPORTED_FIELD.id, message));
}

/// cams keeps one set of variables per template (its captured create request shares one
/// `Example` entry between a URL's `{{1}}` and the body's): a header's or a URL's `{{1}}` is
/// variable 1, so every example given for it must be the same value, else the template would
/// show another text than the one reviewed (issue 12: the README's template did).
/// Where an example of variable 1 was given, by position (its path is written only for a
/// problem: this runs on every request).
#[derive(Clone, Copy)]
enum Given {
    Body(usize),
    Header(usize),
    Url(usize, usize),
}

impl Given {
    fn path(self) -> FieldPath {
        let at = |i: usize| FieldPath::from("components").index(i);
        match self {
            Given::Body(i) => at(i).key("example").key("body_text"),
            Given::Header(i) => at(i).key("example").key("header_text"),
            Given::Url(i, j) => at(i).key("buttons").index(j).key("example"),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Given::Body(_) => "body",
            Given::Header(_) => "header",
            Given::Url(..) => "URL",
        }
    }
}

fn shared_variable(t: &Template, problems: &mut Vec<Problem>) {
    // Every example given for variable 1, the body's first: it is the one the body shows.
    let mut given: Vec<(Given, &str)> = Vec::new();
    for (i, c) in t.components.iter().enumerate() {
        match c {
            Component::Body(b) => {
                if let Some(v) = b
                    .example
                    .as_ref()
                    .and_then(|e| e.body_text.as_ref())
                    .and_then(|rows| rows.first())
                    .and_then(|row| row.first())
                {
                    given.insert(0, (Given::Body(i), v));
                }
            }
            Component::Header(h) => {
                if let Some(v) = h
                    .example
                    .as_ref()
                    .and_then(|e| e.header_text.as_ref())
                    .and_then(|x| x.first())
                {
                    given.push((Given::Header(i), v));
                }
            }
            Component::Buttons(b) => {
                for (j, btn) in b.buttons.iter().enumerate() {
                    if let Button::Url(u) = btn {
                        if let Some(v) = mapping::url_variable_example(u) {
                            given.push((Given::Url(i, j), v));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let Some(((first_at, first), rest)) = given.split_first() else {
        return;
    };
    let first_kind = first_at.kind();
    for (at, v) in rest {
        if v != first {
            let kind = at.kind();
            problems.push(Problem::new(
                &at.path(),
                rules::UNSUPPORTED_SHARED_VARIABLE.id,
                format!(
                    "cams keeps one set of variables per template: this {kind}'s {{{{1}}}} is the {first_kind}'s {{{{1}}}}, whose example is {first:?}, not {v:?}"
                ),
            ));
        }
    }
}

/// cams' own template checks beyond its capabilities.
pub fn check_template(t: &Template, problems: &mut Vec<Problem>) {
    shared_variable(t, problems);
    if t.channel == Channel::Viber && mapping::viber_category(t).is_none() {
        problems.push(Problem::new(
            &FieldPath::from("viber_category"),
            rules::VIBER_CATEGORY_COMPONENTS.id,
            "no Viber category of cams fits these components (text, image, document, video, with or without text and a button); name one with viber_category",
        ));
    }
    for (at, b) in t.each_button() {
        let in_card = at.in_card();
        match b {
            Button::Flow(f) => {
                for field in f.named_without_id() {
                    unsupported(
                        problems,
                        &at.key(field),
                        "cams names a flow by flow_id only",
                    );
                }
            }
            Button::Otp(o) if o.zero_tap_terms_accepted.is_some() => unsupported(
                problems,
                &at.key("zero_tap_terms_accepted"),
                "cams' button has no field for the zero-tap terms",
            ),
            // A card button is Type, Text, PhoneNumber, Url and UrlType (seed 003).
            Button::QuickReply(q) if in_card && q.is_opt_out.is_some() => unsupported(
                problems,
                &at.key("is_opt_out"),
                "a cams card button has no IsOptOut",
            ),
            Button::Url(u) if in_card && u.example.is_some() => unsupported(
                problems,
                &at.key("example"),
                "cams keeps one set of variables per template and a card's URL has none of its own",
            ),
            _ => {}
        }
    }
    // A card's HEADER is Format and Url, its BODY Text (seed 003's CardComponents).
    for (at, c) in t.each_component() {
        if !at.in_card() {
            continue;
        }
        match c {
            Component::Header(h) if h.has_media_details() => unsupported(
                problems,
                &at.path(),
                "a cams card header is a format and a URL only",
            ),
            Component::Body(b) if b.example.is_some() => unsupported(
                problems,
                &at.key("example"),
                "cams keeps one set of variables per template and a card's body has none of its own",
            ),
            _ => {}
        }
    }
}
