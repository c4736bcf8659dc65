//! From a drain plan to a running drain: which pods the executor gets, with which
//! options, and the session the UI (or `kubesight drain`) follows. Shared by the
//! TUI and the headless command so both drain exactly what the plan shows.

use crate::cache::Stores;
use crate::model::drain::{DrainOptions, DrainPlan, DryRun, Verdict};
use crate::model::drain_timeline::Timeline;
use crate::ops::drain::{DrainHandle, DrainJob, PodToEvict};

/// Why a plan cannot be started as it is.
pub fn start_refusal(plan: &DrainPlan) -> Option<String> {
    let refused: Vec<String> = plan
        .nodes
        .iter()
        .filter_map(|n| n.kubectl_error())
        .collect();
    if refused.is_empty() {
        None
    } else {
        Some(format!(
            "the plan refuses {}: {}",
            if refused.len() == 1 {
                "a node".to_string()
            } else {
                format!("{} nodes", refused.len())
            },
            refused.join("; ")
        ))
    }
}

/// The executor's job for `plan`: every pod of an accepted node that goes through
/// the Eviction API (blocked ones too: they are retried), none that is skipped.
pub fn job_from_plan(plan: &DrainPlan, stores: &Stores, options: &DrainOptions) -> DrainJob {
    let accepted: Vec<&str> = plan
        .nodes
        .iter()
        .filter(|n| n.found && n.errors.is_empty())
        .map(|n| n.name.as_str())
        .collect();
    let pods = plan
        .pods
        .iter()
        .filter(|p| p.verdict != Verdict::Skip && accepted.contains(&p.node.as_str()))
        .filter_map(|p| {
            stores
                .pod(&p.namespace, &p.name)
                .and_then(|pod| PodToEvict::from_pod(&pod))
        })
        .collect();
    DrainJob {
        nodes: accepted.iter().map(|n| n.to_string()).collect(),
        pods,
        options: crate::ops::drain::DrainOptions {
            grace_period: options.grace_period,
            timeout: options.timeout,
            disable_eviction: options.disable_eviction,
            dry_run_server: options.dry_run == DryRun::Server,
            max_concurrent_evictions: options.max_concurrent_evictions,
            max_concurrent_nodes: options.max_concurrent_nodes,
            ..Default::default()
        },
    }
}

/// A drain started from the UI: its timeline, and the handle that cancels it
/// (none for a timeline replayed from recorded events).
pub struct DrainSession {
    pub nodes: Vec<String>,
    pub timeline: Timeline,
    pub handle: Option<DrainHandle>,
}

impl DrainSession {
    pub fn is_running(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// A stopped drain's pods that were still terminating, followed in the
    /// cache until they are gone.
    pub fn settle(&mut self, stores: &Stores, now: jiff::Timestamp) {
        if self.is_running() {
            return;
        }
        self.timeline.settle_after_end(now, |key| {
            stores
                .pod(&key.namespace, &key.name)
                .and_then(|pod| pod.metadata.creation_timestamp.as_ref().map(|t| t.0))
        });
    }
}
