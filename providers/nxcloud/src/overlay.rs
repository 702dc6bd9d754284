//! What NXCloud's pages define, and so what the provider can express: the overlay on the common
//! rules. A neutral field NXCloud has no field for is reported `unsupported.field` with its
//! path, never dropped and never sent undocumented.

use wabakit_core::raw::Known;
use wabakit_core::*;

/// What NXCloud can express (its documented components and buttons).
pub fn capabilities(async_create: bool) -> Capabilities {
    let mut c = Capabilities::everything();
    c.channels = vec![Channel::Whatsapp];
    c.components = vec![
        ComponentKind::Header,
        ComponentKind::Body,
        ComponentKind::Footer,
        ComponentKind::Buttons,
        ComponentKind::Carousel,
    ];
    c.header_formats = vec![
        HeaderFormat::Text,
        HeaderFormat::Image,
        HeaderFormat::Video,
        HeaderFormat::Document,
    ];
    c.buttons = vec![
        ButtonKind::QuickReply,
        ButtonKind::Url,
        ButtonKind::PhoneNumber,
        ButtonKind::CopyCode,
        ButtonKind::OtpCopyCode,
        ButtonKind::OtpOneTap,
        ButtonKind::Flow,
    ];
    c.named_parameters = false;
    c.header_media_details = false;
    c.async_create = async_create;
    c
}

fn unsupported(problems: &mut Vec<Problem>, at: &FieldPath, message: impl Into<String>) {
    problems.push(Problem::new(at, rules::UNSUPPORTED_FIELD.id, message));
}

/// Fields NXCloud's template pages (seeds 000–002) do not define.
pub fn check_template(t: &Template, problems: &mut Vec<Problem>) {
    if t.category_change_paused.is_some() {
        unsupported(
            problems,
            &"category_change_paused".into(),
            "NXCloud's template pages define no category_change_paused",
        );
    }
    for (at, b) in t.each_button() {
        match b {
            Button::QuickReply(q) if q.is_opt_out.is_some() => unsupported(
                problems,
                &at.key("is_opt_out"),
                "NXCloud's button fields define no is_opt_out",
            ),
            Button::Otp(o) => {
                // One app is NXCloud's package_name + signature_hash (mapping writes it so).
                let apps = o.supported_apps.as_ref().map_or(0, Vec::len);
                if apps > 1 || (apps == 1 && o.package_name.is_some()) {
                    unsupported(
                        problems,
                        &at.key("supported_apps"),
                        "NXCloud names one app, by package_name and signature_hash",
                    );
                }
                if o.zero_tap_terms_accepted.is_some() {
                    unsupported(
                        problems,
                        &at.key("zero_tap_terms_accepted"),
                        "NXCloud's button fields define no zero_tap_terms_accepted",
                    );
                }
            }
            Button::Flow(f) => {
                for field in f.named_without_id() {
                    unsupported(
                        problems,
                        &at.key(field),
                        "NXCloud names a flow by flow_id only",
                    );
                }
            }
            _ => {}
        }
    }
}

/// updateTemplate (seeds 000, 001) defines no message_send_ttl_seconds: an update may carry the
/// TTL the template already has (`known`, where this client knows it), never a new one.
pub fn check_update(known: Option<&Known>, t: &Template, problems: &mut Vec<Problem>) {
    let Some(ttl) = t.message_send_ttl_seconds else {
        return;
    };
    if known.and_then(|k| k.template.message_send_ttl_seconds) != Some(ttl) {
        unsupported(
            problems,
            &"message_send_ttl_seconds".into(),
            "NXCloud's updateTemplate takes no message_send_ttl_seconds: set it when creating the template",
        );
    }
}
