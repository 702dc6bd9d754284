//! The in-memory provider's state: templates with review status, sent messages, events.

use std::collections::VecDeque;

use crate::event::{Event, EventBody};
use crate::model::{Template, TemplateMessage};
use crate::types::{TemplateId, TemplateInfo, TemplateStatus};

#[derive(Clone, Debug)]
pub(super) struct Stored {
    pub id: TemplateId,
    pub template: Template,
    pub status: TemplateStatus,
    pub reason: Option<String>,
}

impl Stored {
    pub fn info(&self) -> TemplateInfo {
        TemplateInfo {
            id: self.id.clone(),
            name: self.template.name.clone(),
            language: self.template.language.clone(),
            category: self
                .template
                .category
                .map(crate::Category::as_str)
                .unwrap_or_default()
                .to_owned(),
            status: self.status.clone(),
            reason: self.reason.clone(),
            quality: None,
            template: Some(self.template.clone()),
        }
    }
}

/// A message the provider accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    /// The id the send answered.
    pub message_id: String,
    /// The message as sent.
    pub message: TemplateMessage,
}

#[derive(Debug, Default)]
pub(super) struct State {
    pub templates: Vec<Stored>,
    pub next_template: u64,
    /// The most recent sent messages (bounded, so bulk sends keep memory flat).
    pub sent: VecDeque<SentMessage>,
    pub sent_total: u64,
    pub events: Vec<Event>,
}

impl State {
    /// The template of this name and language.
    pub fn by_name(&self, name: &str, language: &str) -> Option<&Stored> {
        self.templates
            .iter()
            .find(|x| x.template.name == name && x.template.language == language)
    }

    pub fn new_template_id(&mut self) -> TemplateId {
        self.next_template += 1;
        TemplateId(format!("mem-tpl-{}", self.next_template))
    }

    /// A template id given before (a restored template's): new ids come after it.
    pub fn restore_id(&mut self, id: &TemplateId) {
        let n = id
            .as_str()
            .strip_prefix("mem-tpl-")
            .and_then(|n| n.parse().ok());
        if let Some(n) = n {
            self.next_template = self.next_template.max(n);
        }
    }

    pub fn find(&self, id: &TemplateId) -> Option<usize> {
        self.templates.iter().position(|s| &s.id == id)
    }

    /// Change a template's status and record the status event a webhook would bring.
    pub fn set_status(&mut self, i: usize, status: TemplateStatus, reason: Option<String>) {
        let s = &mut self.templates[i];
        s.status = status.clone();
        s.reason = reason.clone();
        let raw = serde_json::json!({
            "id": s.id.as_str(),
            "name": s.template.name,
            "language": s.template.language,
            "status": status.as_str(),
            "reason": reason,
        });
        self.events.push(Event {
            provider: "memory".into(),
            body: EventBody::TemplateStatus {
                template_id: Some(s.id.clone()),
                name: Some(s.template.name.clone()),
                language: Some(s.template.language.clone()),
                status,
                reason,
                category: None,
                at: None,
                request_id: None,
            },
            raw,
        });
    }
}
