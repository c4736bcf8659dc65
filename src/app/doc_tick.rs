//! Relative times in documents (`Restarts: 3 (25s ago)`, events' LAST SEEN,
//! grace countdowns) move with the clock: the document on top is rebuilt on
//! the UI's tick. A document that is slow to build (a namespace-wide forest
//! of thousands of pods) is rebuilt less often, so ticking never costs more
//! than about 2 % of a core.

use std::time::{Duration, Instant};

/// The shortest gap between two rebuilds for the clock's sake: the tick, less
/// its jitter.
const FLOOR: Duration = Duration::from_millis(900);

/// A rebuild may take this share of the time between rebuilds, at most.
const MAX_SHARE: u32 = 50;

#[derive(Debug, Default)]
pub struct DocTick {
    last: Option<Instant>,
    cost: Duration,
}

impl DocTick {
    /// Whether the clock alone should rebuild the document now.
    pub fn due(&self, now: Instant) -> bool {
        let gap = FLOOR.max(self.cost * MAX_SHARE);
        self.last.is_none_or(|last| now.duration_since(last) >= gap)
    }

    /// A rebuild finished at `at` after taking `cost`.
    pub fn record(&mut self, at: Instant, cost: Duration) {
        self.last = Some(at);
        self.cost = cost;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cheap_document_ticks_every_second_a_slow_one_less_often() {
        let start = Instant::now();
        let mut tick = DocTick::default();
        assert!(tick.due(start));
        tick.record(start, Duration::from_millis(1));
        assert!(!tick.due(start + Duration::from_millis(500)));
        assert!(tick.due(start + Duration::from_secs(1)));
        // 100 ms to build: once every 5 s.
        tick.record(start, Duration::from_millis(100));
        assert!(!tick.due(start + Duration::from_secs(4)));
        assert!(tick.due(start + Duration::from_secs(5)));
    }
}
