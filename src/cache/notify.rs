//! Coalesced change notifications: however many objects of a kind change between
//! two looks, the UI loop wakes once and learns which kinds changed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::Notify;

use super::Kind;

/// A set of kinds, as a bitmask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindSet(u32);

impl KindSet {
    pub fn contains(self, kind: Kind) -> bool {
        self.0 & (1 << kind.index()) != 0
    }

    pub fn insert(&mut self, kind: Kind) {
        self.0 |= 1 << kind.index();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    pub fn all() -> Self {
        let mut set = KindSet::default();
        for kind in Kind::ALL {
            set.insert(*kind);
        }
        set
    }
}

#[derive(Clone, Default)]
pub struct ChangeNotifier {
    pending: Arc<AtomicU32>,
    wake: Arc<Notify>,
}

impl ChangeNotifier {
    pub fn notify(&self, kind: Kind) {
        let bit = 1 << kind.index();
        // Only the first change since the last look needs to wake anyone.
        if self.pending.fetch_or(bit, Ordering::AcqRel) & bit == 0 {
            self.wake.notify_one();
        }
    }

    /// Takes the kinds changed since the last call, without waiting.
    pub fn take(&self) -> KindSet {
        KindSet(self.pending.swap(0, Ordering::AcqRel))
    }

    /// Waits until at least one kind has changed, then takes them all.
    pub async fn changed(&self) -> KindSet {
        loop {
            let taken = self.take();
            if !taken.is_empty() {
                return taken;
            }
            self.wake.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn many_changes_wake_once_with_every_kind() {
        let notifier = ChangeNotifier::default();
        for _ in 0..1000 {
            notifier.notify(Kind::Pod);
        }
        notifier.notify(Kind::Node);
        let changed = notifier.changed().await;
        assert!(changed.contains(Kind::Pod) && changed.contains(Kind::Node));
        assert!(!changed.contains(Kind::Event));
        assert!(notifier.take().is_empty());
    }
}
