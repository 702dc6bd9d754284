//! Validation: the common WhatsApp rules (one table, [`rules`]), a provider's overlay
//! ([`Capabilities`]: what it cannot express, its own limits), and a message checked against
//! its template. Every problem is returned at once.

mod buttons;
mod carousel;
mod message;
pub mod rules;
mod template;
mod text;

use crate::capabilities::Capabilities;
use crate::model::{Category, Template, TemplateMessage};
use crate::path::At;
use crate::problem::{Problem, Problems};
use rules::{Limit, Rule};

pub use message::{normalize_phone, recipient};

/// Check `t`, a template to create, against the common rules and a provider's capabilities.
pub fn validate_template(t: &Template, caps: &Capabilities) -> Vec<Problem> {
    check(t, caps, false)
}

/// Check `t`, the new content of an existing template: as [`validate_template`], except that
/// the category may be left out (the template keeps its own).
pub fn validate_update(t: &Template, caps: &Capabilities) -> Vec<Problem> {
    check(t, caps, true)
}

fn check(t: &Template, caps: &Capabilities, update: bool) -> Vec<Problem> {
    let mut c = Checker {
        t,
        caps,
        update,
        category: t.category_or_implied(),
        p: Problems::default(),
    };
    c.template();
    c.p.into_vec()
}

/// Check a message on its own and, when the template is known, against it.
pub fn validate_message(m: &TemplateMessage, template: Option<&Template>) -> Vec<Problem> {
    let mut p = Problems::default();
    message::check(m, template, &mut p);
    p.into_vec()
}

impl Template {
    /// The common WhatsApp rules, for a provider that can express everything.
    pub fn validate(&self) -> Vec<Problem> {
        validate_template(self, &Capabilities::everything())
    }
}

pub(crate) struct Checker<'a> {
    t: &'a Template,
    caps: &'a Capabilities,
    /// The template is the new content of an existing one.
    update: bool,
    /// [`Template::category_or_implied`], read once.
    category: Option<Category>,
    p: Problems,
}

impl Checker<'_> {
    fn push(&mut self, path: &At, rule: &'static Rule, message: impl Into<String>) {
        self.p.push(&path.owned(), rule.id, message);
    }

    fn limit(&self, rule: &Rule) -> Limit {
        self.caps.limit(rule)
    }

    /// The template's category is known and is not `c` (an update that leaves the category
    /// out is judged by the provider, which knows the template's).
    fn known_not(&self, c: Category) -> bool {
        self.category.is_some_and(|k| k != c)
    }
}
