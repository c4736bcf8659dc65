//! What the eviction API would answer for each pod a drain evicts
//! (`pkg/registry/core/pod/storage/eviction.go`, as the simulator's `eviction.rs`
//! answers it too): terminating and not-running pods go without consulting
//! budgets; a pod two budgets select is refused with a 500; an unready pod may
//! go for free per `unhealthyPodEvictionPolicy`; otherwise one of the budget's
//! `disruptionsAllowed` is consumed, and pods beyond it wait until the
//! controllers' replacements are healthy again.

use std::collections::{HashMap, HashSet};

use crate::cluster::pod::Pod;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde::Serialize;

use crate::pdb::{BudgetFacts, PdbIndex, budget_facts, is_pod_ready};

/// The API server's 500 message for a pod two or more budgets select.
pub const MORE_THAN_ONE_BUDGET: &str = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
/// The API server's 429 message when a budget allows no disruption.
pub const VIOLATES_BUDGET: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

/// Budgets and DaemonSets indexed once for many pods.
pub struct ClusterIndex<'a> {
    pdbs: PdbIndex<'a>,
    facts: Vec<BudgetFacts>,
    daemon_sets: HashSet<(&'a str, &'a str)>,
}

impl<'a> ClusterIndex<'a> {
    /// Indexes `pdbs` (see [`PdbIndex`]) and `daemon_sets` by namespace/name.
    pub fn new(pdbs: &[&'a PodDisruptionBudget], daemon_sets: &[&'a DaemonSet]) -> Self {
        ClusterIndex {
            pdbs: PdbIndex::new(pdbs),
            facts: pdbs.iter().map(|p| budget_facts(p)).collect(),
            daemon_sets: daemon_sets
                .iter()
                .map(|d| {
                    (
                        d.metadata.namespace.as_deref().unwrap_or(""),
                        d.metadata.name.as_deref().unwrap_or(""),
                    )
                })
                .collect(),
        }
    }

    /// Whether kubectl's GET of this DaemonSet would find it.
    pub fn daemon_set_exists(&self, namespace: &str, name: &str) -> bool {
        self.daemon_sets.contains(&(namespace, name))
    }

    fn covering_iter<'s>(&'s self, pod: &'s Pod) -> impl Iterator<Item = usize> + 's {
        self.pdbs.covering(pod)
    }

    /// Indexes of the budgets covering `pod`, sorted by budget name.
    fn covering(&self, pod: &Pod) -> Vec<usize> {
        let mut found: Vec<usize> = self.covering_iter(pod).collect();
        found.sort_by(|a, b| self.facts[*a].name.cmp(&self.facts[*b].name));
        found
    }
}

/// Disruptions consumed so far in one plan, per budget, and by which pods.
#[derive(Default)]
pub struct Ledger<'p> {
    used: HashMap<usize, Vec<&'p Pod>>,
}

/// The eviction API's decision alone, without words: what the per-node counts
/// need, for every pod of a large cluster.
pub fn decide<'p>(pod: &'p Pod, index: &ClusterIndex, ledger: &mut Ledger<'p>) -> PdbOutcome {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if pod.metadata.deletion_timestamp.is_some()
        || matches!(phase, Some("Pending" | "Succeeded" | "Failed"))
    {
        return PdbOutcome::NotConsulted;
    }
    let mut covering = index.covering_iter(pod);
    let Some(budget) = covering.next() else {
        return PdbOutcome::NoBudget;
    };
    if covering.next().is_some() {
        return PdbOutcome::MultipleBudgets;
    }
    let facts = &index.facts[budget];
    if !is_pod_ready(pod) && facts.unhealthy_pod_may_go() {
        return PdbOutcome::UnhealthyMayGo;
    }
    if facts.stale {
        return PdbOutcome::StillProcessing;
    }
    if facts.disruptions_allowed < 0 {
        return PdbOutcome::NegativeBudget;
    }
    let allowed = facts.disruptions_allowed;
    let used = ledger.used.entry(budget).or_default();
    if (used.len() as i64) < i64::from(allowed) {
        used.push(pod);
        PdbOutcome::Consumes
    } else if allowed > 0 {
        PdbOutcome::WaitsForReplacements
    } else {
        PdbOutcome::Blocked
    }
}

fn pod_key(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or(""),
        pod.metadata.name.as_deref().unwrap_or("")
    )
}

/// The eviction API's answer for one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PdbOutcome {
    /// No budget selects the pod.
    NoBudget,
    /// Terminating, Pending, Succeeded or Failed: budgets are not consulted.
    NotConsulted,
    /// The eviction consumes one allowed disruption.
    Consumes,
    /// Unready, and the budget's policy lets it go without a disruption.
    UnhealthyMayGo,
    /// Earlier pods of this drain used the disruptions the budget allows now.
    WaitsForReplacements,
    /// The budget allows no disruption now (429).
    Blocked,
    /// The disruption controller has not observed the budget's spec (429).
    StillProcessing,
    /// More than one budget selects the pod (500).
    MultipleBudgets,
    /// The budget's `disruptionsAllowed` is negative (403).
    NegativeBudget,
}

impl PdbOutcome {
    /// Whether the eviction is answered 201 now.
    pub fn evicts(self) -> bool {
        matches!(
            self,
            PdbOutcome::NoBudget
                | PdbOutcome::NotConsulted
                | PdbOutcome::Consumes
                | PdbOutcome::UnhealthyMayGo
        )
    }
}

/// The budget analysis of one evicted pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdbCheck {
    /// Names of every budget that selects the pod, sorted.
    pub matching: Vec<String>,
    /// The one budget, when exactly one selects the pod.
    pub budget: Option<BudgetFacts>,
    /// The pod's Ready condition is True.
    pub healthy: bool,
    pub outcome: PdbOutcome,
    /// Why, in words.
    pub explanation: String,
    /// What kubectl prints when this eviction fails, if it does.
    pub kubectl_error: Option<String>,
}

fn plural(n: i32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the eviction API answers for `pod`, consuming from `ledger`, explained.
pub fn check_pod<'p>(pod: &'p Pod, index: &ClusterIndex, ledger: &mut Ledger<'p>) -> PdbCheck {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let covering = index.covering(pod);
    let outcome = decide(pod, index, ledger);
    let matching: Vec<String> = covering
        .iter()
        .map(|&i| index.facts[i].name.clone())
        .collect();
    let facts = match covering.as_slice() {
        [one] => Some(&index.facts[*one]),
        _ => None,
    };
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    let retry = format!(
        "error when evicting pods/\"{name}\" -n \"{namespace}\" (will retry after 5s): {VIOLATES_BUDGET}"
    );
    let budget_name = facts.map_or("", |f| f.name.as_str());
    let allowed = facts.map_or(0, |f| f.disruptions_allowed.max(0));
    let used = || -> Vec<String> {
        covering
            .first()
            .and_then(|b| ledger.used.get(b))
            .into_iter()
            .flatten()
            .map(|p| pod_key(p))
            .collect()
    };
    let (explanation, kubectl_error) = match outcome {
        PdbOutcome::NotConsulted if pod.metadata.deletion_timestamp.is_some() => (
            "already terminating: the eviction deletes it without consulting budgets".to_string(),
            None,
        ),
        PdbOutcome::NotConsulted => (
            format!("{phase}: the eviction deletes it without consulting budgets"),
            None,
        ),
        PdbOutcome::NoBudget => ("no PodDisruptionBudget selects it".to_string(), None),
        PdbOutcome::MultipleBudgets => (
            format!("{MORE_THAN_ONE_BUDGET} ({})", matching.join(", ")),
            Some(format!(
                "error when evicting pods/\"{name}\" -n \"{namespace}\": {MORE_THAN_ONE_BUDGET}"
            )),
        ),
        PdbOutcome::UnhealthyMayGo => (
            match facts {
                Some(f) if f.unhealthy_pod_eviction_policy == "AlwaysAllow" => format!(
                    "not Ready: {budget_name} (AlwaysAllow) lets it go without using a disruption"
                ),
                Some(f) => format!(
                    "not Ready: {budget_name} (IfHealthyBudget) is met ({}/{} healthy), so it goes without using a disruption",
                    f.current_healthy, f.desired_healthy
                ),
                None => String::new(),
            },
            None,
        ),
        PdbOutcome::NegativeBudget => {
            let forbidden = format!(
                "poddisruptionbudget.policy \"{budget_name}\" is forbidden: pdb disruptions allowed is negative"
            );
            (
                forbidden.clone(),
                Some(format!(
                    "error when evicting pods/\"{name}\" -n \"{namespace}\": {forbidden}"
                )),
            )
        }
        PdbOutcome::StillProcessing => (
            format!("The disruption budget {budget_name} is still being processed by the server."),
            Some(retry),
        ),
        PdbOutcome::Consumes => (
            format!(
                "{budget_name} allows {} now; this eviction uses one ({} left)",
                plural(allowed, "disruption", "disruptions"),
                allowed as usize - used().len()
            ),
            None,
        ),
        PdbOutcome::WaitsForReplacements => (
            format!(
                "waits for replacements: {budget_name} allows {} now, used by {}",
                plural(allowed, "disruption", "disruptions"),
                used().join(", ")
            ),
            Some(retry),
        ),
        PdbOutcome::Blocked => (
            format!(
                "blocked by {budget_name}: {}",
                facts.map(|f| f.no_disruption_message()).unwrap_or_default()
            ),
            Some(retry),
        ),
    };
    PdbCheck {
        budget: facts.cloned(),
        matching,
        healthy: is_pod_ready(pod),
        outcome,
        explanation,
        kubectl_error,
    }
}
