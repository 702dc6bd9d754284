use wabakit_core::{MemoryProvider, Review};

use crate::config::ProfileReader;

pub fn build(r: &mut ProfileReader) -> MemoryProvider {
    let review = r.opt_choice(
        "review",
        &[("instant", Review::Instant), ("manual", Review::Manual)],
    );
    MemoryProvider::new().with_review(review.unwrap_or_default())
}
