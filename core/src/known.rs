//! Templates a client created or updated, by name and language: a message to one of them is
//! checked against it before it goes out, and a provider that sends by code finds the code.
//! Looked up on every send, so a lookup allocates nothing and shares the template.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::model::Template;
use crate::path::FieldPath;
use crate::problem::Problem;
use crate::types::{TemplateId, TemplateQuery, TemplateStatus};
use crate::validate::rules;

/// A template this client knows, with the provider's code for it if it has one, and its review
/// status as last answered (none when no answer said).
#[derive(Debug)]
pub struct Known {
    /// The provider's id or code of the template, where it has one.
    pub code: Option<String>,
    /// The template as this client last sent or read it.
    pub template: Template,
    /// Its status as last answered, where an answer said.
    pub status: Option<TemplateStatus>,
}

/// The templates this client created, updated or read, by name and language (and by code): messages are checked against them, and a provider that sends by code finds the code.
#[derive(Debug, Default)]
pub struct KnownTemplates {
    /// name → language → template.
    by_name: Mutex<HashMap<String, HashMap<String, Arc<Known>>>>,
}

impl KnownTemplates {
    /// Remember `t` (under the provider's `code`, in review `status`, where known). An update
    /// that leaves the category out keeps the category known before.
    pub fn remember(&self, code: Option<&str>, t: &Template, status: Option<TemplateStatus>) {
        let mut m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        let languages = m.entry(t.name.clone()).or_default();
        let mut template = t.clone();
        if template.category.is_none() {
            template.category = languages.get(&t.language).and_then(|k| k.template.category);
        }
        let known = Arc::new(Known {
            code: code.map(str::to_owned),
            template,
            status,
        });
        languages.insert(t.language.clone(), known);
    }

    /// The template of code `id`, if this client knows it.
    pub fn by_code(&self, id: &TemplateId) -> Option<Arc<Known>> {
        let m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        m.values()
            .flat_map(|languages| languages.values())
            .find(|k| k.code.as_deref() == Some(id.as_str()))
            .cloned()
    }

    /// Forget what a deletion of `q` removed: the template of code `q.id`, or template `q.name`
    /// in language `q.language` (in every language without one). Forgetting too much is
    /// harmless (a message is then sent by name); remembering a deleted template is not.
    pub fn forget_deleted(&self, q: &TemplateQuery) {
        let mut m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = &q.id {
            for languages in m.values_mut() {
                languages.retain(|_, k| k.code.as_deref() != Some(id.0.as_str()));
            }
            m.retain(|_, languages| !languages.is_empty());
        } else if let Some(name) = &q.name {
            match (&q.language, m.get_mut(name)) {
                (Some(language), Some(languages)) => {
                    languages.remove(language);
                    if languages.is_empty() {
                        m.remove(name);
                    }
                }
                _ => {
                    m.remove(name);
                }
            }
        }
    }

    /// The template of this name and language, if this client knows it.
    pub fn get(&self, name: &str, language: &str) -> Option<Arc<Known>> {
        let m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        m.get(name)?.get(language).cloned()
    }
}

/// Seed 000: "模板被拒时可修改类型" — a template's category changes only while it is rejected.
/// The problem of `t` changing the category `before` of a template in review `status`; none
/// when either is unknown (then the provider's answer decides).
pub fn category_change(
    before: Option<crate::model::Category>,
    status: Option<&TemplateStatus>,
    t: &Template,
) -> Option<Problem> {
    let (Some(before), Some(after), Some(status)) = (before, t.category, status) else {
        return None;
    };
    (before != after && *status != TemplateStatus::Rejected).then(|| {
        Problem::new(
            &FieldPath::from("category"),
            rules::UPDATE_CATEGORY.id,
            format!(
                "the template is {} and {}; its category changes only while it is REJECTED (leave the category out, or keep {})",
                status,
                before.as_str(),
                before.as_str()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Template `order`, in English.
    fn order() -> Template {
        Template::from_value(&serde_json::json!({
            "name": "order", "language": "en", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Your order shipped."}]
        }))
        .unwrap()
    }

    #[test]
    fn remembers_by_name_and_language_the_latest_version() {
        let k = KnownTemplates::default();
        let mut t = order();
        k.remember(Some("c1"), &t, None);
        k.remember(Some("c2"), &t, None);
        t.language = "fr".into();
        k.remember(None, &t, None);
        assert_eq!(k.get("order", "en").unwrap().code.as_deref(), Some("c2"));
        assert_eq!(k.get("order", "fr").unwrap().code, None);
        assert!(k.get("order", "de").is_none());
        assert!(k.get("other", "en").is_none());
        k.forget_deleted(&TemplateQuery::by_id("c2"));
        assert!(k.get("order", "en").is_none());
        assert!(k.get("order", "fr").is_some());
    }

    #[test]
    fn forgets_a_deleted_name_in_one_language_or_all() {
        let k = KnownTemplates::default();
        let mut t = order();
        for language in ["en", "fr", "de"] {
            t.language = language.into();
            k.remember(None, &t, None);
        }
        k.forget_deleted(&TemplateQuery::by_name("order", "fr"));
        assert!(k.get("order", "fr").is_none());
        assert!(k.get("order", "en").is_some() && k.get("order", "de").is_some());
        k.forget_deleted(&TemplateQuery {
            name: Some("order".into()),
            ..Default::default()
        });
        assert!(k.get("order", "en").is_none() && k.get("order", "de").is_none());
        // A query naming nothing known changes nothing.
        k.remember(Some("c9"), &t, None);
        k.forget_deleted(&TemplateQuery::by_id("c1"));
        assert!(k.get("order", "de").is_some());
    }
}
