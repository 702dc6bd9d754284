//! The conformance scenarios on the in-memory provider.

use async_trait::async_trait;
use wabakit_conformance::{run_all, Harness, Verdict};
use wabakit_core::{MemoryProvider, Provider, Review, TemplateQuery};

struct Memory(MemoryProvider);

#[async_trait]
impl Harness for Memory {
    fn provider(&self) -> &dyn Provider {
        &self.0
    }

    async fn review(&self, name: &str, language: &str, verdict: Verdict) -> Result<(), String> {
        let info = self
            .0
            .get_template(&TemplateQuery::by_name(name, language))
            .await
            .map_err(|e| e.to_string())?;
        match verdict {
            Verdict::Approve => self.0.approve(&info.id),
            Verdict::Reject(reason) => self.0.reject(&info.id, reason),
        }
        .map_err(|e| e.to_string())
    }
}

#[tokio::test]
async fn memory_provider_passes_every_scenario() {
    let h = Memory(MemoryProvider::new().with_review(Review::Manual));
    let passed = run_all(&h, "conf").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(passed.len(), wabakit_conformance::scenarios().len());
}

/// Each scenario stands alone: run in reverse order on a fresh provider, all still pass.
#[tokio::test]
async fn scenarios_do_not_depend_on_order() {
    let h = Memory(MemoryProvider::new().with_review(Review::Manual));
    for s in wabakit_conformance::scenarios().iter().rev() {
        s.run(&h, "rev")
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.name));
    }
}
