//! The drain plan: what `kubectl drain` would do to each pod of the drained
//! nodes and what the Eviction API would answer, decided before anything is
//! touched; per-node counts for the nodes view; and whether the evicted pods
//! find room elsewhere.

pub mod budget;
pub mod capacity;
pub mod counts;
pub mod doc;
pub mod filters;
pub mod options;
pub mod plan;
pub mod stores;

#[cfg(test)]
mod tests;

pub use budget::{PdbCheck, PdbOutcome};
pub use capacity::{CapacityCheck, Placement};
pub use counts::{DrainCounts, drain_counts, drain_counts_by_node};
pub use doc::drain_plan_doc;
pub use filters::{FilterCase, KubectlStatus};
pub use options::{DrainOptions, DryRun};
pub use plan::{
    DrainInput, DrainPlan, DrainSummary, NodePlan, Outcome, PodPlan, Verdict, plan_drain,
};
pub use stores::{counts_from_stores, plan_from_stores};
