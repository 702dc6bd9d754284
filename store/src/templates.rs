//! Templates as this library last created, updated or read them, kept whole: a later process
//! checks messages against them without asking the provider, and the memory provider (whose
//! templates live in its process) gets its templates back from them.

use serde::Serialize;
use wabakit_core::Result;

use crate::db::{args, sql, Conn};
use crate::events::{upsert_template, TemplateFields};

/// A template kept whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SavedTemplate {
    /// The provider.
    pub provider: String,
    /// The profile it was last seen through.
    pub profile: String,
    /// Its name.
    pub name: String,
    /// Its language.
    pub language: String,
    /// The provider's id of it.
    pub template_id: Option<String>,
    /// Its review status (`APPROVED` …), the newest the store heard of in an event (not
    /// written by [`crate::Store::save_template`]).
    pub status: Option<String>,
    /// The template, as JSON.
    pub document: String,
}

/// Keep `t` whole. Its `status` is not written: a review's status comes from the provider's
/// events, timed by the provider's clock, and an answer timed by this machine's clock (a
/// second ahead, say) would hide the approval that followed it.
pub fn save(c: &mut dyn Conn, t: &SavedTemplate, now: i64) -> Result<()> {
    let f = TemplateFields {
        at: now,
        name: Some(&t.name),
        language: Some(&t.language),
        template_id: t.template_id.as_deref(),
        document: Some(&t.document),
        ..TemplateFields::default()
    };
    upsert_template(c, &t.provider, &t.profile, f, now as u64)
}

/// Every template of `provider` kept whole.
pub fn saved(c: &mut dyn Conn, provider: &str) -> Result<Vec<SavedTemplate>> {
    Ok(c.rows(
        "SELECT provider, profile, name, language, template_id, status, document
             FROM templates WHERE provider = $1 AND document IS NOT NULL ORDER BY name, language",
        args![provider],
    )
    .map_err(sql("reading the kept templates"))?
    .into_iter()
    .map(|r| SavedTemplate {
        provider: r.text(0),
        profile: r.text(1),
        name: r.text(2),
        language: r.text(3),
        template_id: r.opt_text(4),
        status: r.opt_text(5),
        document: r.text(6),
    })
    .collect())
}

/// Forget a deleted template: by the provider's id, or by name in one language or in all.
pub fn forget(
    c: &mut dyn Conn,
    provider: &str,
    id: Option<&str>,
    name: Option<&str>,
    language: Option<&str>,
) -> Result<u64> {
    let n = match (id, name) {
        (Some(id), _) => c.exec(
            "DELETE FROM templates WHERE provider = $1 AND template_id = $2",
            args![provider, id],
        ),
        (None, Some(name)) => c.exec(
            "DELETE FROM templates WHERE provider = $1 AND name = $2 AND language = COALESCE(CAST($3 AS TEXT), language)",
            args![provider, name, language],
        ),
        (None, None) => return Ok(0),
    };
    n.map_err(sql("forgetting a template"))
}
