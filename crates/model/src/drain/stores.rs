//! The plan and the counts straight from the cache's stores, for callers that
//! hold `Stores` rather than slices.

use jiff::Timestamp;

use super::counts::{DrainCounts, drain_counts_by_node};
use super::options::DrainOptions;
use super::plan::{DrainInput, DrainPlan, plan_drain};
use crate::cluster::Stores;
use std::collections::HashMap;

/// [`plan_drain`] over the current contents of `stores`.
pub fn plan_from_stores(
    stores: &Stores,
    drain: &[String],
    options: &DrainOptions,
    now: Timestamp,
) -> DrainPlan {
    let nodes = stores.nodes.state();
    let pods = stores.pods.state();
    let pdbs = stores.pod_disruption_budgets.state();
    let daemon_sets = stores.daemon_sets.state();
    let nodes: Vec<_> = nodes.iter().map(|n| n.as_ref()).collect();
    let pods: Vec<_> = pods.iter().map(|p| p.as_ref()).collect();
    let pdbs: Vec<_> = pdbs.iter().map(|p| p.as_ref()).collect();
    let daemon_sets: Vec<_> = daemon_sets.iter().map(|d| d.as_ref()).collect();
    let input = DrainInput {
        drain,
        nodes: &nodes,
        pods: &pods,
        pdbs: &pdbs,
        daemon_sets: &daemon_sets,
    };
    plan_drain(&input, options, now)
}

/// [`drain_counts_by_node`] over the current contents of `stores`.
pub fn counts_from_stores(stores: &Stores, now: Timestamp) -> HashMap<String, DrainCounts> {
    let pods = stores.pods.state();
    let pdbs = stores.pod_disruption_budgets.state();
    let daemon_sets = stores.daemon_sets.state();
    let pods: Vec<_> = pods.iter().map(|p| p.as_ref()).collect();
    let pdbs: Vec<_> = pdbs.iter().map(|p| p.as_ref()).collect();
    let daemon_sets: Vec<_> = daemon_sets.iter().map(|d| d.as_ref()).collect();
    drain_counts_by_node(&pods, &pdbs, &daemon_sets, now)
}
