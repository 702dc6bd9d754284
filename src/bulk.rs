//! Bulk sending: any iterator of messages, at most `concurrency` in flight, one outcome per
//! message, memory flat however many there are.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use tokio::sync::mpsc;
use wabakit_core::{Delivery, Error, ErrorKind, Provider, Receipt, Result, TemplateMessage};

/// What became of one message of a bulk send.
#[derive(Debug)]
pub struct SendOutcome {
    /// Position of the message in the input, from 0.
    pub index: u64,
    pub to: String,
    pub client_ref: Option<String>,
    /// The receipt, or an error that says whether the message may have been delivered.
    pub result: Result<Receipt>,
}

/// Send every message; outcomes arrive on the returned channel in completion order, exactly
/// one per message. `concurrency` workers each take the next message when they are free and
/// the previous outcomes have room in the channel, so memory stays flat. Dropping the receiver
/// stops reading the input.
///
/// Workers rather than a task per message: spawning and joining two tasks per message cost more
/// than signing it (bench/README.md).
pub fn send_many<I>(
    provider: Arc<dyn Provider>,
    messages: I,
    concurrency: usize,
) -> mpsc::Receiver<SendOutcome>
where
    I: IntoIterator<Item = TemplateMessage>,
    I::IntoIter: Send + 'static,
{
    let concurrency = concurrency.max(1);
    let (tx, rx) = mpsc::channel(concurrency * 2);
    let input = Arc::new(Mutex::new(messages.into_iter().enumerate()));
    for _ in 0..concurrency {
        let (tx, provider, input) = (tx.clone(), provider.clone(), input.clone());
        tokio::spawn(async move {
            while !tx.is_closed() {
                // A poisoned lock means the input panicked: it yields nothing more.
                let next = match input.lock() {
                    Ok(mut it) => it.next(),
                    Err(_) => None,
                };
                let Some((index, m)) = next else { break };
                // Even a panic in a provider becomes this message's outcome.
                let result = match AssertUnwindSafe(provider.send(&m)).catch_unwind().await {
                    Ok(r) => r,
                    Err(_) => Err(Error::new(ErrorKind::Transport, "the send panicked")
                        .with_delivery(Delivery::MayHaveBeenDelivered)),
                };
                let outcome = SendOutcome {
                    index: index as u64,
                    to: m.to,
                    client_ref: m.client_ref,
                    result,
                };
                if tx.send(outcome).await.is_err() {
                    break;
                }
            }
        });
    }
    rx
}
