//! Injected time. Every age on screen is computed from a [`Clock`] so that headless
//! renders are reproducible (`--now`).

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub enum Clock {
    /// The machine's wall clock: what kubectl would use against a live cluster.
    System,
    /// A frozen instant, for `--now` and tests.
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
        }
    }
}
