//! The scenario list: create → get → update → list → send → delete, and the error cases.

use wabakit_core::*;

use crate::fixtures::*;
use crate::{Harness, Outcome, Scenario, Verdict};

macro_rules! scenarios {
    ($($f:ident),* $(,)?) => {
        /// Every scenario, in a fixed order.
        pub fn all() -> Vec<Scenario> {
            vec![$(Scenario { name: stringify!($f), run: |h, p| Box::pin($f(h, p)) }),*]
        }
    };
}

scenarios!(
    create_then_get_shows_review,
    rejected_template_can_be_edited,
    list_pages_through_everything,
    send_approved_template,
    send_before_approval_is_refused,
    send_unknown_template_is_refused,
    send_with_wrong_parameters_is_refused,
    delete_then_get_is_not_found,
    unknown_template_is_not_found,
    invalid_template_is_rejected_before_sending,
    duplicate_create_is_refused,
);

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

fn ok<T>(r: Result<T>, step: &str) -> Result<T, String> {
    r.map_err(|e| format!("{step}: unexpected error: {e}"))
}

fn err<T: std::fmt::Debug>(r: Result<T>, step: &str) -> Result<Error, String> {
    match r {
        Ok(v) => Err(format!("{step}: expected an error, got {v:?}")),
        Err(e) => Ok(e),
    }
}

/// Create [`order_update`] as `name` and finish its review; the template as the provider has it.
async fn reviewed(h: &dyn Harness, name: &str, verdict: Verdict) -> Result<TemplateInfo, String> {
    ok(
        h.provider().create_template(&order_update(name)).await,
        "create",
    )?;
    h.review(name, "en_US", verdict).await?;
    ok(
        h.provider()
            .get_template(&TemplateQuery::by_name(name, "en_US"))
            .await,
        "get",
    )
}

/// Create and approve, returning the template's id.
async fn approved(h: &dyn Harness, name: &str) -> Result<TemplateId, String> {
    let info = reviewed(h, name, Verdict::Approve).await?;
    ensure!(
        info.status == TemplateStatus::Approved,
        "after approval the status is {}",
        info.status
    );
    Ok(info.id)
}

async fn create_then_get_shows_review(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_lifecycle");
    let t = order_update(&name);
    let r = ok(h.provider().create_template(&t).await, "create")?;
    ensure!(
        r.name == name && r.language == "en_US",
        "create answered {r:?}"
    );
    if let Some(status) = r.status() {
        ensure!(
            *status == TemplateStatus::Pending,
            "a new template is {status}, not PENDING"
        );
    }
    let q = TemplateQuery::by_name(&name, "en_US");
    let info = ok(h.provider().get_template(&q).await, "get")?;
    ensure!(
        info.name == name && info.language == "en_US",
        "get answered {info:?}"
    );
    if let Some(id) = r.id() {
        ensure!(
            &info.id == id,
            "get answered id {} for template created as {id}",
            info.id
        );
    }
    h.review(&name, "en_US", Verdict::Approve).await?;
    let info = ok(h.provider().get_template(&q).await, "get after review")?;
    ensure!(
        info.status == TemplateStatus::Approved,
        "after approval: {}",
        info.status
    );
    ensure!(
        info.category.eq_ignore_ascii_case("UTILITY"),
        "category {}",
        info.category
    );
    if let Some(back) = &info.template {
        ensure!(
            back.components == t.components,
            "components came back changed: {back:?}"
        );
    }
    let by_id = ok(
        h.provider()
            .get_template(&TemplateQuery::by_id(info.id.as_str()))
            .await,
        "get by id",
    )?;
    ensure!(by_id.name == name, "get by id answered {}", by_id.name);
    Ok(())
}

async fn rejected_template_can_be_edited(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_edit");
    let info = reviewed(h, &name, Verdict::Reject("INVALID_FORMAT")).await?;
    let q = TemplateQuery::by_name(&name, "en_US");
    ensure!(
        info.status == TemplateStatus::Rejected,
        "after rejection: {}",
        info.status
    );
    ensure!(
        info.reason.as_deref() == Some("INVALID_FORMAT"),
        "rejection reason {:?}",
        info.reason
    );
    let edited = order_update_edited(&name);
    let r = ok(
        h.provider().update_template(&info.id, &edited).await,
        "update",
    )?;
    if let Some(status) = r.status() {
        ensure!(
            *status == TemplateStatus::Pending,
            "an edited template is {status}, not PENDING"
        );
    }
    let after = ok(h.provider().get_template(&q).await, "get after update")?;
    ensure!(after.id == info.id, "the edit changed the id");
    ensure!(
        !after.status.is_final(),
        "an edited template is back in review, not {}",
        after.status
    );
    if let Some(back) = &after.template {
        ensure!(
            back.components == edited.components,
            "the edit did not stick: {back:?}"
        );
    }
    h.review(&name, "en_US", Verdict::Approve).await?;
    let after = ok(h.provider().get_template(&q).await, "get after approval")?;
    ensure!(
        after.status == TemplateStatus::Approved,
        "after approval: {}",
        after.status
    );
    Ok(())
}

async fn list_pages_through_everything(h: &dyn Harness, prefix: &str) -> Outcome {
    let names: Vec<String> = (0..3).map(|i| format!("{prefix}_list_{i}")).collect();
    for n in &names {
        ok(
            h.provider().create_template(&order_update(n)).await,
            "create",
        )?;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut q = ListQuery {
        limit: 2,
        ..Default::default()
    };
    for page_no in 0.. {
        ensure!(page_no < 1000, "paging does not end");
        let page = ok(h.provider().list_templates(&q).await, "list")?;
        ensure!(
            page.items.len() <= 2,
            "asked for 2 per page, got {}",
            page.items.len()
        );
        seen.extend(
            page.items
                .iter()
                .map(|i| format!("{}/{}", i.name, i.language)),
        );
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    for n in &names {
        let key = format!("{n}/en_US");
        let count = seen.iter().filter(|s| **s == key).count();
        ensure!(count == 1, "{key} listed {count} times over all pages");
    }
    let filtered = ok(
        h.provider()
            .list_templates(&ListQuery {
                name: Some(names[1].clone()),
                ..Default::default()
            })
            .await,
        "list by name",
    )?;
    ensure!(
        filtered.items.len() == 1 && filtered.items[0].name == names[1],
        "list by name answered {:?}",
        filtered.items
    );
    Ok(())
}

async fn send_approved_template(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_send");
    approved(h, &name).await?;
    let m = order_message(&name);
    let r = ok(h.provider().send(&m).await, "send")?;
    ensure!(!r.message_id.is_empty(), "empty message id");
    ensure!(
        r.client_ref == m.client_ref,
        "client_ref {:?} came back as {:?}",
        m.client_ref,
        r.client_ref
    );
    // A second message, with its own client_ref (NXCloud uses it as the message id).
    let mut m2 = m.clone();
    m2.client_ref = Some(format!("{name}-second"));
    let r2 = ok(h.provider().send(&m2).await, "second send")?;
    ensure!(
        r2.message_id != r.message_id,
        "two sends got one message id {}",
        r.message_id
    );
    Ok(())
}

async fn send_before_approval_is_refused(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_unapproved");
    reviewed(h, &name, Verdict::Reject("INVALID_FORMAT")).await?;
    let e = err(h.provider().send(&order_message(&name)).await, "send")?;
    ensure!(e.not_sent(), "a refused send must be known not sent: {e}");
    ensure!(!e.retryable(), "a refused send is not worth retrying: {e}");
    Ok(())
}

async fn send_unknown_template_is_refused(h: &dyn Harness, prefix: &str) -> Outcome {
    let e = err(
        h.provider()
            .send(&order_message(&format!("{prefix}_missing")))
            .await,
        "send",
    )?;
    ensure!(
        matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Provider),
        "sending an unknown template gave {e}"
    );
    ensure!(e.not_sent(), "must be known not sent: {e}");
    Ok(())
}

async fn send_with_wrong_parameters_is_refused(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_params");
    approved(h, &name).await?;
    let mut m = order_message(&name);
    m.body = Params::Positional(vec!["Ana".into()]);
    let e = err(h.provider().send(&m).await, "send")?;
    ensure!(
        matches!(e.kind(), ErrorKind::Validation | ErrorKind::Provider),
        "one body value for two variables gave {e}"
    );
    ensure!(e.not_sent(), "must be known not sent: {e}");
    Ok(())
}

async fn delete_then_get_is_not_found(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_delete");
    let keep = format!("{prefix}_delete_keep");
    ok(
        h.provider().create_template(&order_update(&name)).await,
        "create",
    )?;
    ok(
        h.provider().create_template(&order_update(&keep)).await,
        "create another",
    )?;
    let q = TemplateQuery::by_name(&name, "en_US");
    ok(h.provider().delete_template(&q).await, "delete")?;
    let kept = h
        .provider()
        .get_template(&TemplateQuery::by_name(&keep, "en_US"))
        .await;
    ensure!(
        kept.is_ok(),
        "deleting {name} also removed {keep}: {kept:?}"
    );
    let e = err(h.provider().get_template(&q).await, "get after delete")?;
    ensure!(e.kind() == ErrorKind::NotFound, "get after delete gave {e}");
    let e = err(h.provider().delete_template(&q).await, "second delete")?;
    ensure!(e.kind() == ErrorKind::NotFound, "second delete gave {e}");
    Ok(())
}

async fn unknown_template_is_not_found(h: &dyn Harness, prefix: &str) -> Outcome {
    let q = TemplateQuery::by_name(format!("{prefix}_nothing"), "en_US");
    let e = err(h.provider().get_template(&q).await, "get")?;
    ensure!(
        e.kind() == ErrorKind::NotFound,
        "get of an unknown template gave {e}"
    );
    let e = err(
        h.provider()
            .update_template(
                &TemplateId::new("999999999"),
                &order_update(&format!("{prefix}_nothing")),
            )
            .await,
        "update",
    )?;
    ensure!(
        e.kind() == ErrorKind::NotFound,
        "update of an unknown template gave {e}"
    );
    Ok(())
}

async fn invalid_template_is_rejected_before_sending(h: &dyn Harness, prefix: &str) -> Outcome {
    let (t, expected) = faulty(prefix);
    let e = err(h.provider().create_template(&t).await, "create")?;
    ensure!(
        e.kind() == ErrorKind::Validation,
        "an invalid template gave {e}"
    );
    for (path, rule) in &expected {
        ensure!(
            e.problems()
                .iter()
                .any(|p| p.path == *path && p.rule == *rule),
            "missing problem {rule} at {path}; got {:?}",
            e.problems()
        );
    }
    ensure!(
        e.problems().len() == expected.len(),
        "extra problems: {:?}",
        e.problems()
    );
    let listed = ok(
        h.provider()
            .list_templates(&ListQuery {
                name: Some(t.name.clone()),
                ..Default::default()
            })
            .await,
        "list",
    )?;
    ensure!(
        listed.items.is_empty(),
        "the invalid template was created anyway"
    );
    Ok(())
}

async fn duplicate_create_is_refused(h: &dyn Harness, prefix: &str) -> Outcome {
    let name = format!("{prefix}_dup");
    ok(
        h.provider().create_template(&order_update(&name)).await,
        "create",
    )?;
    let e = err(
        h.provider().create_template(&order_update(&name)).await,
        "second create",
    )?;
    // AlreadyExists where the vendor's answer says so (NXCloud's 这种语言的内容已存在); cams
    // documents no answer of its own for a duplicate.
    ensure!(
        matches!(e.kind(), ErrorKind::AlreadyExists | ErrorKind::Provider),
        "a duplicate create gave {e}"
    );
    ensure!(e.code().is_some(), "the provider's code is kept: {e}");
    ensure!(e.not_sent() && !e.retryable(), "a duplicate is final: {e}");
    Ok(())
}
