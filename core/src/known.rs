//! Templates a client created or updated, by name and language: a message to one of them is
//! checked against it before it goes out, and a provider that sends by code finds the code.
//! Looked up on every send, so a lookup allocates nothing and shares the template.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::model::Template;

/// A template this client knows, with the provider's code for it if it has one.
#[derive(Debug)]
pub struct Known {
    pub code: Option<String>,
    pub template: Template,
}

#[derive(Debug, Default)]
pub struct KnownTemplates {
    /// name → language → template.
    by_name: Mutex<HashMap<String, HashMap<String, Arc<Known>>>>,
}

impl KnownTemplates {
    pub fn remember(&self, code: Option<&str>, t: &Template) {
        let known = Arc::new(Known {
            code: code.map(str::to_owned),
            template: t.clone(),
        });
        let mut m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(t.name.clone())
            .or_default()
            .insert(t.language.clone(), known);
    }

    /// Forget every language of template `name` (it was deleted).
    pub fn forget(&self, name: &str) {
        let mut m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        m.remove(name);
    }

    pub fn get(&self, name: &str, language: &str) -> Option<Arc<Known>> {
        let m = self.by_name.lock().unwrap_or_else(|e| e.into_inner());
        m.get(name)?.get(language).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_name_and_language_the_latest_version() {
        let k = KnownTemplates::default();
        let mut t = Template::from_value(&serde_json::json!({
            "name": "order", "language": "en", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Your order shipped."}]
        }))
        .unwrap();
        k.remember(Some("c1"), &t);
        k.remember(Some("c2"), &t);
        t.language = "fr".into();
        k.remember(None, &t);
        assert_eq!(k.get("order", "en").unwrap().code.as_deref(), Some("c2"));
        assert_eq!(k.get("order", "fr").unwrap().code, None);
        assert!(k.get("order", "de").is_none());
        assert!(k.get("other", "en").is_none());
        k.forget("order");
        assert!(k.get("order", "en").is_none());
    }
}
