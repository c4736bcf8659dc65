//! Per-node drain counts for the nodes view: what a plain `kubectl drain`
//! (default flags) would meet on each node, each node judged on its own.

use std::collections::HashMap;

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde::Serialize;

use super::budget::{ClusterIndex, Ledger, PdbOutcome, decide};
use super::filters::{FilterCase, filter_pod};
use super::options::DrainOptions;
use super::plan::sort_pods;

/// What draining one node with kubectl's default flags would meet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainCounts {
    /// Evicted now.
    pub evictable: usize,
    /// Held back by a PodDisruptionBudget now (including pods the eviction API
    /// refuses for a budget misconfiguration: two budgets, a negative one).
    pub blocked: usize,
    /// No controller: refused without `--force`.
    pub unmanaged: usize,
    /// emptyDir volumes: refused without `--delete-emptydir-data`.
    pub emptydir: usize,
    /// DaemonSet pods (orphaned ones included): refused without `--ignore-daemonsets`.
    pub daemonset: usize,
    /// Mirror pods and pods long deleted: left alone.
    pub skipped: usize,
}

fn count_node(
    pods: &mut [&Pod],
    options: &DrainOptions,
    index: &ClusterIndex,
    now: Timestamp,
) -> DrainCounts {
    sort_pods(pods);
    let mut ledger = Ledger::default();
    let mut counts = DrainCounts::default();
    for &pod in pods.iter() {
        let filtered = filter_pod(pod, options, &|ns, n| index.daemon_set_exists(ns, n), now);
        if !filtered.delete {
            match filtered.cases.last() {
                Some(FilterCase::UnmanagedRefused) => counts.unmanaged += 1,
                Some(FilterCase::EmptyDirRefused) => counts.emptydir += 1,
                Some(
                    FilterCase::DaemonSetRefused
                    | FilterCase::DaemonSetIgnored
                    | FilterCase::OrphanedDaemonSetRefused,
                ) => counts.daemonset += 1,
                _ => counts.skipped += 1,
            }
            continue;
        }
        let outcome = decide(pod, index, &mut ledger);
        if outcome.evicts() {
            counts.evictable += 1;
        } else {
            debug_assert!(outcome != PdbOutcome::NoBudget);
            counts.blocked += 1;
        }
    }
    counts
}

/// The counts of one node.
pub fn drain_counts(
    node: &str,
    pods: &[&Pod],
    pdbs: &[&PodDisruptionBudget],
    daemon_sets: &[&DaemonSet],
    now: Timestamp,
) -> DrainCounts {
    let index = ClusterIndex::new(pdbs, daemon_sets);
    let mut on: Vec<&Pod> = pods
        .iter()
        .copied()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .collect();
    count_node(&mut on, &DrainOptions::default(), &index, now)
}

/// The counts of every node that has pods, indexing pods by node once.
pub fn drain_counts_by_node(
    pods: &[&Pod],
    pdbs: &[&PodDisruptionBudget],
    daemon_sets: &[&DaemonSet],
    now: Timestamp,
) -> HashMap<String, DrainCounts> {
    let index = ClusterIndex::new(pdbs, daemon_sets);
    let options = DrainOptions::default();
    let mut by_node: HashMap<&str, Vec<&Pod>> = HashMap::new();
    for pod in pods {
        if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
            by_node.entry(node).or_default().push(pod);
        }
    }
    by_node
        .into_iter()
        .map(|(node, mut on)| (node.to_string(), count_node(&mut on, &options, &index, now)))
        .collect()
}
