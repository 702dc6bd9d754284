//! Bulk sending: any iterator of messages, at most `concurrency` in flight, one outcome per
//! message, memory flat however many there are.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::stream::{Stream, StreamExt};
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
/// stops reading the input. An input that panics ends the input (the messages it gave are
/// still sent).
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
    let input = FromIter(std::sync::Mutex::new(Input::new(messages.into_iter())));
    run(provider, Arc::new(input), concurrency)
}

/// [`send_many`] from an asynchronous source (a database cursor, a queue): the next message is
/// awaited only when a worker is free for it.
pub fn send_many_stream<S>(
    provider: Arc<dyn Provider>,
    messages: S,
    concurrency: usize,
) -> mpsc::Receiver<SendOutcome>
where
    S: Stream<Item = TemplateMessage> + Send + 'static,
{
    let input = FromStream(tokio::sync::Mutex::new(Input::new(Box::pin(messages))));
    run(provider, Arc::new(input), concurrency)
}

fn run<S: Source>(
    provider: Arc<dyn Provider>,
    input: Arc<S>,
    concurrency: usize,
) -> mpsc::Receiver<SendOutcome> {
    let concurrency = concurrency.max(1);
    let (tx, rx) = mpsc::channel(concurrency * 2);
    for _ in 0..concurrency {
        let (tx, provider, input) = (tx.clone(), provider.clone(), input.clone());
        tokio::spawn(async move {
            while !tx.is_closed() {
                let Some((index, m)) = input.next().await else {
                    break;
                };
                // Even a panic in a provider becomes this message's outcome.
                let result = match AssertUnwindSafe(provider.send(&m)).catch_unwind().await {
                    Ok(r) => r,
                    Err(_) => Err(Error::new(ErrorKind::Transport, "the send panicked")
                        .with_delivery(Delivery::MayHaveBeenDelivered)),
                };
                let outcome = SendOutcome {
                    index,
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

/// Where the workers take their next message from, numbered in the order taken.
trait Source: Send + Sync + 'static {
    fn next(&self) -> impl Future<Output = Option<(u64, TemplateMessage)>> + Send;
}

/// The input, numbering what it gives; once it ends (or panics) it is not asked again.
struct Input<T> {
    messages: T,
    next_index: u64,
    ended: bool,
}

impl<T> Input<T> {
    fn new(messages: T) -> Self {
        Input {
            messages,
            next_index: 0,
            ended: false,
        }
    }

    fn number(
        &mut self,
        pulled: std::thread::Result<Option<TemplateMessage>>,
    ) -> Option<(u64, TemplateMessage)> {
        match pulled {
            Ok(Some(m)) => {
                self.next_index += 1;
                Some((self.next_index - 1, m))
            }
            Ok(None) | Err(_) => {
                self.ended = true;
                None
            }
        }
    }
}

/// An iterator behind a plain mutex: taking a message never waits for another task (the
/// in-memory benchmark sends 1M messages through this twice as fast as through an async mutex).
struct FromIter<I>(std::sync::Mutex<Input<I>>);

impl<I: Iterator<Item = TemplateMessage> + Send + 'static> Source for FromIter<I> {
    fn next(&self) -> impl Future<Output = Option<(u64, TemplateMessage)>> + Send {
        // The lock is never poisoned: a panicking input is caught here.
        let mut input = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let next = if input.ended {
            None
        } else {
            let pulled = std::panic::catch_unwind(AssertUnwindSafe(|| input.messages.next()));
            input.number(pulled)
        };
        std::future::ready(next)
    }
}

/// A stream behind an async mutex: a worker waits for the next message while holding it.
struct FromStream<S>(tokio::sync::Mutex<Input<Pin<Box<S>>>>);

impl<S: Stream<Item = TemplateMessage> + Send + 'static> Source for FromStream<S> {
    async fn next(&self) -> Option<(u64, TemplateMessage)> {
        let mut input = self.0.lock().await;
        if input.ended {
            return None;
        }
        let pulled = AssertUnwindSafe(input.messages.next()).catch_unwind().await;
        input.number(pulled)
    }
}
