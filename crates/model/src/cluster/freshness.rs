//! How current each store is. Views must never show stale data as if it were live,
//! so every source reports, per kind, whether its store is complete and tracking
//! the cluster, still loading, behind, or not readable at all.

use std::sync::{Arc, RwLock};

use jiff::Timestamp;

use super::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Loaded from files: complete as saved, tracking nothing.
    Static,
    /// The initial list is under way.
    Syncing { objects: usize },
    /// Listed and watching.
    Live,
    /// Something failed; the store holds what it had at `since`.
    Stale { since: Timestamp, reason: String },
    /// The user may not read this kind where we looked.
    Forbidden { reason: String },
}

/// Where a kind is watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Cluster,
    Namespace(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindStatus {
    pub freshness: Freshness,
    pub scope: Scope,
    /// Why the scope is narrower than asked, e.g. cluster-wide listing forbidden.
    pub narrowed: Option<String>,
    /// When the next retry after a failure is due.
    pub retry_at: Option<Timestamp>,
    /// Whether a complete list ever arrived: a kind that failed before one did
    /// has nothing to be stale, it is not loaded.
    pub listed: bool,
}

impl KindStatus {
    pub fn is_ready(&self) -> bool {
        matches!(
            self.freshness,
            Freshness::Static | Freshness::Live | Freshness::Forbidden { .. }
        )
    }
}

/// Shared, per-kind freshness. Writers are the source's tasks; readers are views.
#[derive(Clone)]
pub struct FreshnessBoard {
    kinds: Arc<RwLock<Vec<KindStatus>>>,
}

impl FreshnessBoard {
    pub fn new(initial: Freshness) -> Self {
        let status = KindStatus {
            freshness: initial,
            scope: Scope::Cluster,
            narrowed: None,
            retry_at: None,
            listed: false,
        };
        FreshnessBoard {
            kinds: Arc::new(RwLock::new(vec![status; Kind::ALL.len()])),
        }
    }

    pub fn get(&self, kind: Kind) -> KindStatus {
        // A poisoned lock means a writer panicked mid-update; the data is still
        // the best we have, so read it rather than propagate the panic.
        let kinds = self.kinds.read().unwrap_or_else(|e| e.into_inner());
        kinds[kind.index()].clone()
    }

    pub fn update(&self, kind: Kind, change: impl FnOnce(&mut KindStatus)) {
        let mut kinds = self.kinds.write().unwrap_or_else(|e| e.into_inner());
        change(&mut kinds[kind.index()]);
    }

    /// Every kind with its status, in [`Kind::ALL`] order.
    pub fn snapshot(&self) -> Vec<(Kind, KindStatus)> {
        let kinds = self.kinds.read().unwrap_or_else(|e| e.into_inner());
        Kind::ALL
            .iter()
            .map(|k| (*k, kinds[k.index()].clone()))
            .collect()
    }

    pub fn all_ready(&self) -> bool {
        let kinds = self.kinds.read().unwrap_or_else(|e| e.into_inner());
        kinds.iter().all(KindStatus::is_ready)
    }
}
