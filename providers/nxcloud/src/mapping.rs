//! Neutral documents → NXCloud bodies. Templates pass through in Meta's shape; messages are
//! expanded into Meta's nested `components` form.

use std::borrow::Cow;

use wabakit_core::*;

use crate::config::NxcloudConfig;
use crate::wire::{self, MESSAGING_PRODUCT};
use wabakit_core::raw::typed_values_unsupported;
use wabakit_core::raw::whatsapp::{body_params, send_template, text, Param, SendStyle};

/// createTemplate's body for `t`.
pub fn create_template<'a>(cfg: &'a NxcloudConfig, t: &'a Template) -> wire::CreateTemplate<'a> {
    wire::CreateTemplate {
        appkey: &cfg.app_key,
        messaging_product: MESSAGING_PRODUCT,
        business_phone: &cfg.business_phone,
        name: &t.name,
        category: t.category,
        language: &t.language,
        message_send_ttl_seconds: t.message_send_ttl_seconds,
        components: components(t),
    }
}

/// updateTemplate's body: template `id` gets `t`'s content.
pub fn update_template<'a>(
    cfg: &'a NxcloudConfig,
    id: &'a TemplateId,
    t: &'a Template,
) -> wire::UpdateTemplate<'a> {
    wire::UpdateTemplate {
        appkey: &cfg.app_key,
        messaging_product: MESSAGING_PRODUCT,
        business_phone: &cfg.business_phone,
        template_id: id.as_str(),
        category: t.category,
        components: components(t),
    }
}

/// The template's components as NXCloud's pages write them: an OTP button's one app in
/// `supported_apps` becomes its `package_name` and `signature_hash` (seeds 000, 002); the
/// overlay reports what has no NXCloud field.
fn components(t: &Template) -> Cow<'_, [Component]> {
    let one_app = |b: &Button| {
        matches!(b, Button::Otp(o) if o.package_name.is_none()
            && o.supported_apps.as_ref().is_some_and(|a| a.len() == 1))
    };
    if !t.each_button().any(|(_, b)| one_app(b)) {
        return Cow::Borrowed(&t.components);
    }
    let mut owned = t.components.clone();
    for c in &mut owned {
        if let Component::Buttons(bs) = c {
            for b in &mut bs.buttons {
                if let Button::Otp(o) = b {
                    if let Some(app) = o
                        .supported_apps
                        .take_if(|a| a.len() == 1)
                        .and_then(|mut a| a.pop())
                    {
                        o.package_name = Some(app.package_name);
                        o.signature_hash = Some(app.signature_hash);
                    }
                }
            }
        }
    }
    Cow::Owned(owned)
}

/// The body of a template message: `mt`, or the SAAS send when the config has a tenant.
/// `template` is the message's template where this client knows it: the SAAS send repeats a
/// value for every occurrence of its variable (seed 004), which only the template tells.
pub fn send<'a>(
    cfg: &'a NxcloudConfig,
    m: &'a TemplateMessage,
    template: Option<&'a Template>,
) -> Result<wire::Send<'a>> {
    let to = recipient(m)?;
    let saas = cfg.tenant_id.is_some();
    can_express(m, saas)?;
    let body = match (&m.body, template.filter(|_| saas)) {
        (Params::Positional(v), Some(t)) => per_occurrence(v, t),
        (body, _) => body_params(body),
    };
    let style = SendStyle {
        // The SAAS page writes positions as numbers; both write COPY_CODE in capitals.
        index_as_number: saas,
        copy_code: "COPY_CODE",
    };
    Ok(wire::Send {
        tenant_id: cfg.tenant_id,
        appkey: &cfg.app_key,
        business_phone: &cfg.business_phone,
        messaging_product: MESSAGING_PRODUCT,
        recipient_type: "individual",
        to,
        kind: "template",
        // Seed 004's SAAS body has no field for it: the client_ref stays on the receipt.
        cus_message_id: m.client_ref.as_deref().filter(|_| !saas),
        template: send_template(m, body, style),
    })
}

/// The SAAS send's body: "严格按照变量顺序填写参数,重复多次的变量也须多次赋值" (seed 004) — one
/// value per occurrence of a variable in the template's body, in order; the caller writes one
/// value per variable.
fn per_occurrence<'a>(values: &'a [BodyValue], t: &Template) -> Vec<Param<'a>> {
    let body = t.components.iter().find_map(|c| match c {
        Component::Body(b) => b.text.as_deref(),
        _ => None,
    });
    let occurrences = placeholder::scan(body.unwrap_or_default()).found;
    if occurrences.is_empty() {
        return values.iter().map(|v| text(None, v.text())).collect();
    }
    occurrences
        .iter()
        .filter_map(|p| match p {
            // A listed template is not validated: `{{0}}` finds no value rather than panics.
            placeholder::Placeholder::Positional(n) => {
                (*n as usize).checked_sub(1).and_then(|i| values.get(i))
            }
            placeholder::Placeholder::Named(_) => None,
        })
        .map(|v| text(None, v.text()))
        .collect()
}

/// What a send can carry. NXCloud's templates have numbered variables only and no location
/// header; the SAAS send (seed 004) carries an image header by link, text body values, and URL
/// and COPY_CODE button values. Anything else is unsupported, with its path.
fn can_express(m: &TemplateMessage, saas: bool) -> Result<()> {
    // Text body values only: the pages define no currency or date_time parameter.
    let mut problems = typed_values_unsupported(m, "NXCloud's pages");
    let mut no = |path: FieldPath, what: String| {
        problems.push(Problem::new(&path, rules::UNSUPPORTED_FIELD.id, what));
    };
    match &m.header {
        Some(HeaderParam::Location { .. }) => no(
            "header".into(),
            "NXCloud's templates have no location header".into(),
        ),
        None | Some(HeaderParam::Image(Media::Link(_))) => {}
        Some(HeaderParam::Image(Media::Id(_))) if saas => no(
            "header".into(),
            "the SAAS send (seed 004) takes an image header by link only".into(),
        ),
        Some(h) if saas && !matches!(h, HeaderParam::Image(_)) => no(
            "header".into(),
            format!(
                "the SAAS send (seed 004) takes an image header only, not {}",
                h.type_name()
            ),
        ),
        Some(_) => {}
    }
    if matches!(m.body, Params::Named(_)) {
        no(
            "body".into(),
            "NXCloud's templates take numbered variables only".into(),
        );
    }
    if saas {
        for (i, b) in m.buttons.iter().enumerate() {
            if !matches!(
                b.value,
                ButtonValue::Url { .. } | ButtonValue::CopyCode { .. }
            ) {
                no(
                    FieldPath::from("buttons").index(i),
                    format!(
                        "the SAAS send (seed 004) takes URL and COPY_CODE button values only, not {}",
                        b.value.type_name()
                    ),
                );
            }
        }
        if !m.cards.is_empty() {
            no(
                "cards".into(),
                "the SAAS send (seed 004) takes no carousel cards".into(),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(problems).with_provider("nxcloud"))
    }
}
