//! Injected time. Every age on screen is computed from a [`Clock`] so that headless
//! renders are reproducible (`--now`) and the demo cluster keeps looking freshly
//! captured however old the build is.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone)]
pub enum Clock {
    /// The machine's wall clock: what kubectl would use against a live cluster.
    System,
    /// A frozen instant, for `--now` and tests.
    Fixed(Timestamp),
    /// Starts at `anchor` and advances in real time: a saved cluster replayed as if
    /// it had just been captured.
    Replay { anchor: Timestamp, started: Instant },
}

impl Clock {
    pub fn replay_from(anchor: Timestamp) -> Self {
        Clock::Replay {
            anchor,
            started: Instant::now(),
        }
    }

    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
            Clock::Replay { anchor, started } => {
                let elapsed = SignedDuration::try_from(started.elapsed()).unwrap_or_default();
                anchor.checked_add(elapsed).unwrap_or(*anchor)
            }
        }
    }
}
