//! Bulk sending: any iterator of messages, at most `concurrency` in flight, one outcome per
//! message, memory flat however many there are.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use futures_util::stream::{Stream, StreamExt};
use futures_util::FutureExt;
use tokio::sync::mpsc;
use wabakit_core::{
    rules, Delivery, Error, ErrorKind, FieldPath, Problem, Provider, Receipt, Result,
    TemplateMessage,
};

/// What became of one message of a bulk send. Its `Debug` masks the recipient
/// ([`crate::privacy`]).
pub struct SendOutcome {
    /// Position of the message in the input, from 0.
    pub index: u64,
    /// The message's recipient.
    pub to: String,
    /// The message's client_ref.
    pub client_ref: Option<String>,
    /// The receipt, or an error that says whether the message may have been delivered.
    pub result: Result<Receipt>,
}

impl std::fmt::Debug for SendOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendOutcome")
            .field("index", &self.index)
            .field("to", &crate::privacy::recipient(&self.to))
            .field("client_ref", &self.client_ref)
            .field("result", &self.result)
            .finish()
    }
}

/// The client_refs of a bulk input, to find one used twice. A client_ref must be unique: it is
/// how receipts find their message (NXCloud's message id *is* the client_ref, so two messages
/// with one client_ref get one id and their receipts cannot be told apart).
///
/// Keeps a 64-bit keyed hash per client_ref and the position of the first message with it
/// (about 35 bytes a message): two different client_refs collide with a chance of about n²/2⁶⁵
/// (one in 37 million for a million messages), and then the later message is refused, never
/// sent twice.
#[derive(Default)]
pub struct ClientRefs {
    hasher: RandomState,
    first: HashMap<u64, u64>,
}

impl ClientRefs {
    /// Record `client_ref` at `position`; the position of the first message with it if this is
    /// not the first.
    pub fn first_of(&mut self, client_ref: &str, position: u64) -> Option<u64> {
        let key = self.hasher.hash_one(client_ref);
        match self.first.get(&key) {
            Some(first) => Some(*first),
            None => {
                self.first.insert(key, position);
                None
            }
        }
    }

    /// The problem of a message whose client_ref the message at `first` (`what` it is: "message
    /// 3", "row 7") already has.
    pub fn problem(client_ref: &str, what: &str) -> Problem {
        Problem::new(
            &FieldPath::from("client_ref"),
            rules::MESSAGE_CLIENT_REF_UNIQUE.id,
            format!("client_ref {client_ref:?} is already {what}'s: client_refs must be unique (receipts find their message by it)"),
        )
    }
}

/// Send every message; outcomes arrive on the returned channel in completion order, exactly
/// one per message. A message whose client_ref an earlier one has is not sent: its outcome is
/// a validation error naming the first (see [`ClientRefs`]). `concurrency` workers each take the next message when they are free and
/// the previous outcomes have room in the channel, so memory stays flat. Dropping the receiver
/// stops reading the input. An input that panics ends the input (the messages it gave are
/// still sent).
///
/// Workers rather than a task per message: spawning and joining two tasks per message cost more
/// than signing it (bench/README.md).
pub fn send_many<I>(provider: Arc<dyn Provider>, messages: I, concurrency: usize) -> Outcomes
where
    I: IntoIterator<Item = TemplateMessage>,
    I::IntoIter: Send + 'static,
{
    let input = FromIter(std::sync::Mutex::new(Input::new(messages.into_iter())));
    run(provider, Arc::new(input), concurrency)
}

/// [`send_many`] from an asynchronous source (a database cursor, a queue): the next message is
/// awaited only when a worker is free for it.
pub fn send_many_stream<S>(provider: Arc<dyn Provider>, messages: S, concurrency: usize) -> Outcomes
where
    S: Stream<Item = TemplateMessage> + Send + 'static,
{
    let input = FromStream(tokio::sync::Mutex::new(Input::new(Box::pin(messages))));
    run(provider, Arc::new(input), concurrency)
}

/// The outcomes of a bulk send, in the order they complete (each names its input position): a
/// [`Stream`] (`StreamExt::next`), or `recv().await`. Dropping it stops taking input; the
/// sends already under way finish, and their outcomes are dropped with it.
#[derive(Debug)]
pub struct Outcomes(mpsc::Receiver<SendOutcome>);

impl Outcomes {
    /// The next outcome; `None` once every message has one.
    pub async fn recv(&mut self) -> Option<SendOutcome> {
        self.0.recv().await
    }
}

impl Stream for Outcomes {
    type Item = SendOutcome;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<SendOutcome>> {
        self.0.poll_recv(cx)
    }
}

fn run<S: Source>(provider: Arc<dyn Provider>, input: Arc<S>, concurrency: usize) -> Outcomes {
    let concurrency = concurrency.max(1);
    let (tx, rx) = mpsc::channel(concurrency * 2);
    for _ in 0..concurrency {
        let (tx, provider, input) = (tx.clone(), provider.clone(), input.clone());
        tokio::spawn(async move {
            while !tx.is_closed() {
                let Some((index, m, repeated)) = input.next().await else {
                    break;
                };
                let result = match (repeated, &m.client_ref) {
                    (Some(first), Some(r)) => Err(Error::validation(vec![ClientRefs::problem(
                        r,
                        &format!("message {first}"),
                    )])),
                    // Even a panic in a provider becomes this message's outcome.
                    _ => match AssertUnwindSafe(provider.send(&m)).catch_unwind().await {
                        Ok(r) => r,
                        Err(_) => Err(Error::new(ErrorKind::Transport, "the send panicked")
                            .with_delivery(Delivery::MayHaveBeenDelivered)),
                    },
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
    Outcomes(rx)
}

/// A message numbered in the order taken, with the number of the first message with its
/// client_ref if an earlier one has it.
type Taken = (u64, TemplateMessage, Option<u64>);

/// Where the workers take their next message from.
trait Source: Send + Sync + 'static {
    fn next(&self) -> impl Future<Output = Option<Taken>> + Send;
}

/// The input, numbering what it gives; once it ends (or panics) it is not asked again.
struct Input<T> {
    messages: T,
    next_index: u64,
    ended: bool,
    client_refs: ClientRefs,
}

impl<T> Input<T> {
    fn new(messages: T) -> Self {
        Input {
            messages,
            next_index: 0,
            ended: false,
            client_refs: ClientRefs::default(),
        }
    }

    fn number(&mut self, pulled: std::thread::Result<Option<TemplateMessage>>) -> Option<Taken> {
        match pulled {
            Ok(Some(m)) => {
                let index = self.next_index;
                self.next_index += 1;
                let repeated = m
                    .client_ref
                    .as_deref()
                    .and_then(|r| self.client_refs.first_of(r, index));
                Some((index, m, repeated))
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
    fn next(&self) -> impl Future<Output = Option<Taken>> + Send {
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
    async fn next(&self) -> Option<Taken> {
        let mut input = self.0.lock().await;
        if input.ended {
            return None;
        }
        let pulled = AssertUnwindSafe(input.messages.next()).catch_unwind().await;
        input.number(pulled)
    }
}
