//! The window of recent changes that watches resume from, like the API server's watch
//! cache over etcd: a watch from resourceVersion N is served if every change after N
//! is still held; otherwise it is `too old` (410 Gone, `wire/21`).

use std::collections::VecDeque;

/// Changes in revision order, at most `capacity` of them.
#[derive(Debug)]
pub struct History<E> {
    changes: VecDeque<(u64, E)>,
    capacity: usize,
    /// Every change at or below this revision is forgotten; a watch may start
    /// from this revision or later.
    compacted_through: u64,
}

/// A revision the window no longer covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooOld {
    pub requested: u64,
    /// The oldest revision a watch may still start from.
    pub oldest: u64,
}

impl<E> History<E> {
    /// An empty window that starts at `revision`: what exists then is known only
    /// as state, not as changes (the server's initial list).
    pub fn new(capacity: usize, revision: u64) -> History<E> {
        History {
            changes: VecDeque::new(),
            capacity: capacity.max(1),
            compacted_through: revision,
        }
    }

    /// Records a change; the oldest one falls out when the window is full.
    pub fn push(&mut self, revision: u64, change: E) {
        if self.changes.len() == self.capacity
            && let Some((forgotten, _)) = self.changes.pop_front()
        {
            self.compacted_through = forgotten;
        }
        self.changes.push_back((revision, change));
    }

    /// Forgets every change up to `revision`, as an etcd compaction does.
    pub fn compact(&mut self, revision: u64) {
        let keep_from = self.changes.partition_point(|(r, _)| *r <= revision);
        self.changes.drain(..keep_from);
        self.compacted_through = self.compacted_through.max(revision);
    }

    pub fn compacted_through(&self) -> u64 {
        self.compacted_through
    }

    /// Every change after `revision`, oldest first.
    pub fn since(&self, revision: u64) -> Result<impl DoubleEndedIterator<Item = &E>, TooOld> {
        if revision < self.compacted_through {
            return Err(TooOld {
                requested: revision,
                oldest: self.compacted_through,
            });
        }
        let first = self.changes.partition_point(|(r, _)| *r <= revision);
        Ok(self.changes.range(first..).map(|(_, change)| change))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(capacity: usize, start: u64, revisions: &[u64]) -> History<u64> {
        let mut history = History::new(capacity, start);
        for r in revisions {
            history.push(*r, *r);
        }
        history
    }

    fn since(history: &History<u64>, revision: u64) -> Result<Vec<u64>, TooOld> {
        history
            .since(revision)
            .map(|changes| changes.copied().collect())
    }

    #[test]
    fn serves_changes_after_a_revision() {
        let h = history(10, 5, &[6, 7, 8]);
        assert_eq!(since(&h, 5), Ok(vec![6, 7, 8]));
        assert_eq!(since(&h, 7), Ok(vec![8]));
        assert_eq!(since(&h, 8), Ok(vec![]));
        assert_eq!(since(&h, 100), Ok(vec![]));
    }

    #[test]
    fn the_starting_revision_is_the_oldest_servable() {
        let h = history(10, 5, &[6]);
        assert_eq!(
            since(&h, 4),
            Err(TooOld {
                requested: 4,
                oldest: 5
            })
        );
    }

    #[test]
    fn a_full_window_forgets_the_oldest_change() {
        let h = history(3, 0, &[1, 2, 3, 4, 5]);
        assert_eq!(h.compacted_through(), 2);
        assert_eq!(since(&h, 2), Ok(vec![3, 4, 5]));
        assert_eq!(
            since(&h, 1),
            Err(TooOld {
                requested: 1,
                oldest: 2
            })
        );
    }

    #[test]
    fn compaction_expires_everything_before_it() {
        let mut h = history(10, 0, &[1, 2, 3, 4]);
        h.compact(3);
        assert_eq!(h.compacted_through(), 3);
        assert_eq!(since(&h, 3), Ok(vec![4]));
        assert_eq!(
            since(&h, 2),
            Err(TooOld {
                requested: 2,
                oldest: 3
            })
        );
        h.compact(1);
        assert_eq!(h.compacted_through(), 3, "compaction never moves back");
        h.compact(4);
        assert_eq!(since(&h, 4), Ok(vec![]));
    }

    #[test]
    fn zero_capacity_still_keeps_the_latest_change() {
        let h = history(0, 0, &[1, 2]);
        assert_eq!(since(&h, 1), Ok(vec![2]));
    }
}
