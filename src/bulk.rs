//! Bulk sending: any iterator of messages, at most `concurrency` in flight, one outcome per
//! message, memory flat however many there are.

use std::sync::Arc;

use tokio::sync::{mpsc, Semaphore};
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
/// one per message. A message is read from the input only when a place is free and the
/// previous outcomes have room in the channel, so memory stays flat. Dropping the receiver
/// stops reading the input.
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
    let places = Arc::new(Semaphore::new(concurrency));
    let input = messages.into_iter();
    tokio::spawn(async move {
        for (index, m) in input.enumerate() {
            let Ok(place) = places.clone().acquire_owned().await else {
                break;
            };
            if tx.is_closed() {
                break;
            }
            let (tx, provider) = (tx.clone(), provider.clone());
            tokio::spawn(async move {
                let (to, client_ref) = (m.to.clone(), m.client_ref.clone());
                // Its own task, so that even a panic in a provider becomes an outcome.
                let result = match tokio::spawn(async move { provider.send(&m).await }).await {
                    Ok(r) => r,
                    Err(e) => Err(Error::new(
                        ErrorKind::Transport,
                        format!("the send task failed: {e}"),
                    )
                    .with_delivery(Delivery::MayHaveBeenDelivered)),
                };
                let _ = tx
                    .send(SendOutcome {
                        index: index as u64,
                        to,
                        client_ref,
                        result,
                    })
                    .await;
                drop(place);
            });
        }
    });
    rx
}
