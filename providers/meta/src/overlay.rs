//! What the Cloud API can express: the overlay on the common rules. The neutral model is
//! Meta's template shape, so this is nearly everything; what other providers added to it
//! (Viber, Alibaba's `category_change_paused`, sample URLs and header media details) is
//! reported `unsupported.field` with its path, never dropped and never sent undocumented.

use wabakit_core::*;

/// What the Cloud API takes: every component, header format and button of the neutral model,
/// named and positional variables, media samples by upload handle.
pub fn capabilities() -> Capabilities {
    let mut c = Capabilities::everything();
    c.channels = vec![Channel::Whatsapp];
    // A media sample is an upload handle (spec §4), never a URL.
    c.header_url = false;
    c.header_media_details = false;
    c
}

/// Fields the Graph API's template object does not have.
pub fn check_template(t: &Template, problems: &mut Vec<Problem>) {
    if t.category_change_paused.is_some() {
        problems.push(Problem::new(
            &"category_change_paused".into(),
            rules::UNSUPPORTED_FIELD.id,
            "Meta's template object has no category_change_paused",
        ));
    }
}
