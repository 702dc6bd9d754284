//! Progress of long work, on stderr: a bar on a terminal (done/total, rate, ETA and the
//! outcomes so far), a plain line every few seconds when stderr is a file or a pipe (a log has
//! no use for a redrawn bar), nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a plain line is written (`WABAKIT_PROGRESS_SECONDS`, default 5; 0: at every row).
fn every() -> Duration {
    let s = std::env::var("WABAKIT_PROGRESS_SECONDS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(5.0);
    Duration::from_secs_f64(s)
}

enum Show {
    Bar(ProgressBar),
    Lines {
        last: Option<Instant>,
        every: Duration,
        /// Rows done at the last line written.
        shown: u64,
    },
    Off,
}

/// The outcomes so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub sent: u64,
    pub failed: u64,
    pub uncertain: u64,
    pub invalid: u64,
}

impl Counts {
    fn done(&self) -> u64 {
        self.sent + self.failed + self.uncertain + self.invalid
    }

    fn words(&self) -> String {
        format!(
            "sent {}, failed {}, may have been delivered {}, invalid {}",
            self.sent, self.failed, self.uncertain, self.invalid
        )
    }
}

/// The progress of `what` (e.g. "send-bulk") over `total` rows, when known.
pub struct Progress {
    what: &'static str,
    total: Option<u64>,
    /// Rows already done when this run began (a campaign resumed): not counted in its rate.
    base: u64,
    start: Instant,
    show: Show,
}

impl Progress {
    pub fn new(what: &'static str, total: Option<u64>, quiet: bool) -> Progress {
        let show = if quiet {
            Show::Off
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = match total {
                Some(_) => "{bar:30} {pos}/{len} rows  {per_sec}  ETA {eta}  {msg}",
                None => "{spinner} {pos} rows  {per_sec}  {msg}",
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            Show::Bar(bar)
        } else {
            Show::Lines {
                last: None,
                every: every(),
                shown: 0,
            }
        };
        Progress {
            what,
            total,
            base: 0,
            start: Instant::now(),
            show,
        }
    }

    /// Work that starts `done` rows in (a campaign other runs have worked on): the bar starts
    /// there, and the rate and ETA count only what is done from now on.
    pub fn from(mut self, done: u64) -> Progress {
        self.base = done;
        if let Show::Bar(bar) = &self.show {
            bar.set_position(done);
            bar.reset_eta();
        }
        self
    }

    /// How often progress read from elsewhere (a store) is worth reading: each second for a
    /// bar, at each line otherwise, never when quiet.
    pub fn interval(&self) -> Option<Duration> {
        match &self.show {
            Show::Bar(_) => Some(Duration::from_secs(1)),
            Show::Lines { every, .. } => Some((*every).max(Duration::from_millis(50))),
            Show::Off => None,
        }
    }

    /// The counts after one more row.
    pub fn update(&mut self, c: &Counts) {
        match &mut self.show {
            Show::Bar(bar) => {
                bar.set_position(c.done());
                bar.set_message(c.words());
            }
            Show::Lines { last, every, shown } => {
                let now = Instant::now();
                if last.is_none_or(|t| now.duration_since(t) >= *every) {
                    *last = Some(now);
                    *shown = c.done();
                    eprintln!("{}", self.line(c));
                }
            }
            Show::Off => {}
        }
    }

    /// A plain line: done of total, rate, time left, outcomes.
    fn line(&self, c: &Counts) -> String {
        let done = c.done();
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = done.saturating_sub(self.base) as f64 / secs;
        let of = match self.total {
            Some(t) if t > 0 => {
                let left = t.saturating_sub(done);
                let eta = if rate > 0.0 {
                    format!(", ETA {}s", (left as f64 / rate).ceil() as u64)
                } else {
                    String::new()
                };
                format!(
                    "{done}/{t} rows ({:.0}%), {rate:.0}/s{eta}",
                    100.0 * done as f64 / t as f64
                )
            }
            _ => format!("{done} rows, {rate:.0}/s"),
        };
        format!("{}: {of}, {}", self.what, c.words())
    }

    /// The bar stays as it ended; a log gets the last line unless it has it already.
    pub fn finish(&mut self, c: &Counts) {
        match &self.show {
            Show::Bar(bar) => {
                bar.set_position(c.done());
                bar.set_message(c.words());
                bar.finish();
            }
            Show::Lines { shown, last, .. } if last.is_none() || *shown != c.done() => {
                eprintln!("{}", self.line(c));
            }
            _ => {}
        }
    }
}
