//! What the store's test suites share.

use serde_json::json;
use wabakit_core::{Event, EventBody, MessageStatus};

/// A Meta status event for message `id`, at `at` (Unix seconds).
#[allow(dead_code)] // not every suite uses it
pub fn status(id: &str, s: MessageStatus, at: i64) -> Event {
    Event::new(
        "meta",
        EventBody::MessageStatus {
            message_id: id.into(),
            client_ref: None,
            status: s,
            recipient: None,
            at: Some(at),
            errors: Vec::new(),
        },
        json!({"id": id, "at": at}),
    )
}

/// Every rule runs on both backends: SQLite in memory, and a fresh PostgreSQL database.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(wabakit_store::Store::open("sqlite::memory:").unwrap()).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let Some(url) = wabakit_store::testing::fresh_postgres(stringify!($name)) else {
                    return;
                };
                super::$name(wabakit_store::Store::open(&url).unwrap()).await
            })*
        }
    };
}
