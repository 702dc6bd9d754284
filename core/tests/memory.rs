//! The in-memory provider beyond the conformance scenarios: instant review with events,
//! bounded message log, dry-run render.

use wabakit_core::*;

fn template(name: &str) -> Template {
    Template::from_value(&serde_json::json!({
        "name": name, "language": "en", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}}, thanks.", "example": {"body_text": [["Ana"]]}}]
    }))
    .unwrap()
}

fn message(name: &str, n: usize) -> TemplateMessage {
    let mut m = TemplateMessage::new("+86 136 0000 9759", name, "en");
    m.body = Params::Positional(vec![format!("user {n}").into()]);
    m
}

#[tokio::test]
async fn instant_review_approves_and_records_the_status_event() {
    let p = MemoryProvider::new();
    let r = p.create_template(&template("thanks")).await.unwrap();
    assert_eq!(r.status(), Some(&TemplateStatus::Pending));
    let info = p
        .get_template(&TemplateQuery::by_name("thanks", "en"))
        .await
        .unwrap();
    assert_eq!(info.status, TemplateStatus::Approved);
    let events = p.take_events();
    assert_eq!(events.len(), 1);
    match &events[0].body {
        EventBody::TemplateStatus {
            name,
            status,
            template_id,
            ..
        } => {
            assert_eq!(name.as_deref(), Some("thanks"));
            assert_eq!(*status, TemplateStatus::Approved);
            assert_eq!(template_id.as_ref(), r.id());
        }
        other => panic!("unexpected event {other:?}"),
    }
    assert!(p.take_events().is_empty());
}

#[tokio::test]
async fn the_message_log_is_bounded_but_the_count_is_not() {
    let p = MemoryProvider::new().keep_sent(3);
    p.create_template(&template("thanks")).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..10 {
        ids.push(p.send(&message("thanks", n)).await.unwrap().message_id);
    }
    assert_eq!(p.sent_total(), 10);
    let kept = p.sent();
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[2].message_id, ids[9]);
    assert_eq!(
        kept[0].message.body,
        Params::Positional(vec!["user 7".into()])
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10, "message ids are unique");
}

#[tokio::test]
async fn an_approved_template_can_be_edited_and_goes_back_to_review() {
    let p = MemoryProvider::new().with_review(Review::Manual);
    let r = p.create_template(&template("thanks")).await.unwrap();
    let id = r.id().unwrap().clone();
    // Pending templates cannot be edited (WhatsApp's rule).
    let e = p
        .update_template(&id, &template("thanks"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("template_not_editable"));
    p.approve(&id).unwrap();
    let r = p.update_template(&id, &template("thanks")).await.unwrap();
    assert_eq!(r.status(), Some(&TemplateStatus::Pending));
    p.approve(&id).unwrap();
    let e = p
        .update_template(&id, &template("other_name"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("template_identity"));
}

#[test]
fn render_is_the_neutral_document() {
    let p = MemoryProvider::new();
    let at = Pinned {
        unix_millis: 1_700_000_000_000,
        nonce: "n".into(),
    };
    let req = p
        .render(&Operation::CreateTemplate(template("thanks")), &at)
        .unwrap();
    assert_eq!(req.url, "memory://local/create_template");
    assert_eq!(req.body, template("thanks").to_json().into_bytes());
}

/// Seed 000: "模板被拒时可修改类型" — the category of an existing template changes only while it
/// is rejected. The memory provider knows every template's state, so it refuses exactly; an
/// update may leave the category out and keep the template's.
#[tokio::test]
async fn seed_000_category_changes_only_while_rejected() {
    let p = MemoryProvider::new();
    let id = p
        .create_template(&template("recat"))
        .await
        .unwrap()
        .id()
        .unwrap()
        .clone();
    let mut marketing = template("recat");
    marketing.category = Some(Category::Marketing);
    // Approved (instant review): the category stays.
    let e = p.update_template(&id, &marketing).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(
        e.problems()
            .iter()
            .map(|x| (x.rule, x.path.as_str()))
            .collect::<Vec<_>>(),
        [("update.category", "category")]
    );
    // Without a category, an update keeps the template's.
    let mut keep = template("recat");
    keep.category = None;
    p.update_template(&id, &keep).await.unwrap();
    let info = p
        .get_template(&TemplateQuery::by_id(id.as_str()))
        .await
        .unwrap();
    assert_eq!(info.category, "UTILITY");
    // Rejected: now it may change.
    p.reject(&id, "INCORRECT_CATEGORY").unwrap();
    p.update_template(&id, &marketing).await.unwrap();
    let info = p
        .get_template(&TemplateQuery::by_id(id.as_str()))
        .await
        .unwrap();
    assert_eq!(info.category, "MARKETING");
}
