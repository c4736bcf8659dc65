//! The drain plan: for every pod on the drained nodes that the pod selector
//! selects, what `kubectl drain` would do with it and what the eviction API
//! would answer, before anything is touched.

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde::Serialize;

use super::budget::{ClusterIndex, Ledger, PdbCheck, PdbOutcome, check_pod};
use super::capacity::{CapacityCheck, check_capacity};
use super::filters::{FilterCase, KubectlStatus, controller_of, filter_pod};
use super::options::DrainOptions;
use crate::node::is_unschedulable;

/// Everything a plan reads, borrowed from the cache.
#[derive(Debug, Clone, Copy)]
pub struct DrainInput<'a> {
    /// The nodes to drain, in the order kubectl drains them.
    pub drain: &'a [String],
    pub nodes: &'a [&'a Node],
    pub pods: &'a [&'a Pod],
    pub pdbs: &'a [&'a PodDisruptionBudget],
    pub daemon_sets: &'a [&'a DaemonSet],
}

/// What happens to one pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Evicted (or deleted) now.
    Evict,
    /// Left alone.
    Skip,
    /// Its eviction is refused for now by a PodDisruptionBudget; kubectl retries.
    Blocked,
    /// kubectl refuses the node, or the API server refuses the eviction for good.
    Refused,
}

/// One pod of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodPlan {
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub verdict: Verdict,
    /// Why, in words.
    pub reason: String,
    /// kubectl's own status for the pod and its message (the last filter's).
    pub kubectl_status: KubectlStatus,
    pub kubectl_message: String,
    /// The filter cases met, in kubectl's order.
    pub cases: Vec<FilterCase>,
    /// `Kind/name` of the controller, if any.
    pub controller: Option<String>,
    pub emptydir_volumes: Vec<String>,
    /// The budget analysis, for pods that are evicted through the Eviction API.
    pub pdb: Option<PdbCheck>,
}

/// One drained node: what kubectl prints for it before evicting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodePlan {
    pub name: String,
    pub found: bool,
    /// Already cordoned before the drain.
    pub cordoned: bool,
    /// kubectl's `Warning: ...` text (without the prefix), printed only when
    /// there are no errors.
    pub warning: Option<String>,
    /// kubectl's `cannot delete ...` errors; any of them means kubectl evicts
    /// nothing from this node.
    pub errors: Vec<String>,
}

impl NodePlan {
    /// kubectl's line for a refused node, when it is refused.
    pub fn kubectl_error(&self) -> Option<String> {
        let aggregate = match self.errors.as_slice() {
            [] => return None,
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        Some(if self.found {
            format!(
                "error: unable to drain node \"{}\" due to error: {aggregate}, continuing command...",
                self.name
            )
        } else {
            format!("Error from server (NotFound): {aggregate}")
        })
    }
}

/// Whether the drain, run now, finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Every pod that has to go can go now.
    Completes,
    /// Budgets hold some pods back: kubectl keeps retrying until `--timeout`.
    Blocked,
    /// kubectl or the API server refuses: the drain fails without more flags or fixes.
    Refused,
}

/// Counts over the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainSummary {
    pub evict: usize,
    pub skip: usize,
    pub blocked: usize,
    pub refused: usize,
    /// Drained nodes kubectl refuses outright (a filter error or not found).
    pub refused_nodes: usize,
    pub completes_now: bool,
    pub outcome: Outcome,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainPlan {
    pub nodes: Vec<NodePlan>,
    /// Pods of every drained node, node by node, each node's by namespace/name
    /// (the API server's list order).
    pub pods: Vec<PodPlan>,
    pub summary: DrainSummary,
    pub capacity: CapacityCheck,
}

/// The pods of `node` that `options.pod_selector` selects, in list order.
fn pods_on<'a>(pods: &[&'a Pod], node: &str, options: &DrainOptions) -> Vec<&'a Pod> {
    let empty = Default::default();
    let mut on: Vec<&Pod> = pods
        .iter()
        .copied()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| {
            options
                .pod_selector
                .as_ref()
                .is_none_or(|s| s.matches(p.metadata.labels.as_ref().unwrap_or(&empty)))
        })
        .collect();
    sort_pods(&mut on);
    on
}

/// The API server's list order: namespace, then name.
pub(super) fn sort_pods(pods: &mut [&Pod]) {
    pods.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
}

fn filter_note(
    case: &FilterCase,
    pod: &Pod,
    message: &str,
    volumes: &[String],
    options: &DrainOptions,
) -> Option<String> {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    Some(match case {
        // The budget note says it for these.
        FilterCase::Plain | FilterCase::Terminating => return None,
        FilterCase::Finished if !options.disable_eviction => return None,
        FilterCase::Finished => format!("finished ({phase})"),
        FilterCase::DeletedLongAgo => format!(
            "terminating for more than {}s (--skip-wait-for-delete-timeout)",
            options.skip_wait_for_delete_timeout
        ),
        FilterCase::DaemonSetIgnored => "DaemonSet-managed: ignored (--ignore-daemonsets)".into(),
        FilterCase::DaemonSetRefused => message.to_string(),
        // The NotFound message itself was overwritten by later filters' Okay.
        FilterCase::OrphanedDaemonSetForced => format!(
            "orphaned DaemonSet pod (daemonsets.apps \"{}\" not found): deleted (--force)",
            controller_of(pod).map_or("", |r| r.name.as_str())
        ),
        FilterCase::OrphanedDaemonSetRefused => {
            format!("orphaned DaemonSet pod: {message} (use --force to delete it)")
        }
        FilterCase::Mirror => "mirror pod of a static pod: the kubelet owns it".into(),
        FilterCase::EmptyDirDeleted => format!(
            "emptyDir data is deleted: {} (--delete-emptydir-data)",
            volumes.join(", ")
        ),
        FilterCase::EmptyDirRefused => {
            format!("{message}: emptyDir {}", volumes.join(", "))
        }
        FilterCase::UnmanagedForced => {
            "no controller: deleted for good, nothing recreates it (--force)".into()
        }
        FilterCase::UnmanagedRefused => message.to_string(),
    })
}

/// Decides one pod: kubectl's filters, then the eviction API's budgets.
pub(super) fn plan_pod<'p>(
    pod: &'p Pod,
    node: &str,
    options: &DrainOptions,
    index: &ClusterIndex,
    ledger: &mut Ledger<'p>,
    now: Timestamp,
) -> PodPlan {
    let filtered = filter_pod(
        pod,
        options,
        &|ns, name| index.daemon_set_exists(ns, name),
        now,
    );
    let mut notes: Vec<String> = filtered
        .cases
        .iter()
        .filter_map(|c| {
            filter_note(
                c,
                pod,
                &filtered.message,
                &filtered.emptydir_volumes,
                options,
            )
        })
        .collect();
    let (verdict, pdb) = if !filtered.delete {
        let verdict = match filtered.status {
            KubectlStatus::Error => Verdict::Refused,
            _ => Verdict::Skip,
        };
        (verdict, None)
    } else if options.disable_eviction {
        notes.push("deleted, not evicted (--disable-eviction): budgets are not consulted".into());
        (Verdict::Evict, None)
    } else {
        let check = check_pod(pod, index, ledger);
        notes.push(check.explanation.clone());
        let verdict = match check.outcome {
            o if o.evicts() => Verdict::Evict,
            PdbOutcome::MultipleBudgets | PdbOutcome::NegativeBudget => Verdict::Refused,
            _ => Verdict::Blocked,
        };
        (verdict, Some(check))
    };
    PodPlan {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        node: node.to_string(),
        verdict,
        reason: notes.join("; "),
        kubectl_status: filtered.status,
        kubectl_message: filtered.message,
        cases: filtered.cases,
        controller: controller_of(pod).map(|r| format!("{}/{}", r.kind, r.name)),
        emptydir_volumes: filtered.emptydir_volumes,
        pdb,
    }
}

/// `PodDeleteList.Warnings` and `errors`: pods grouped by message, messages in
/// order of first appearance (kubectl iterates a Go map, so its order varies).
fn node_messages(pods: &[PodPlan]) -> (Option<String>, Vec<String>) {
    let mut warnings: Vec<(String, Vec<String>)> = Vec::new();
    let mut errors: Vec<(String, Vec<String>)> = Vec::new();
    for pod in pods {
        let target = match pod.kubectl_status {
            KubectlStatus::Warning => &mut warnings,
            KubectlStatus::Error => &mut errors,
            _ => continue,
        };
        let key = if pod.kubectl_message.is_empty() {
            "unexpected error".to_string()
        } else {
            pod.kubectl_message.clone()
        };
        let who = format!("{}/{}", pod.namespace, pod.name);
        match target.iter_mut().find(|(m, _)| *m == key) {
            Some((_, list)) => list.push(who),
            None => target.push((key, vec![who])),
        }
    }
    let warning = (!warnings.is_empty()).then(|| {
        warnings
            .iter()
            .map(|(m, p)| format!("{m}: {}", p.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    });
    let errors = errors
        .iter()
        .map(|(m, p)| format!("cannot delete {m}: {}", p.join(", ")))
        .collect();
    (warning, errors)
}

/// The plan for draining `input.drain` with `options`, as of `now`.
pub fn plan_drain(input: &DrainInput, options: &DrainOptions, now: Timestamp) -> DrainPlan {
    let index = ClusterIndex::new(input.pdbs, input.daemon_sets);
    let mut ledger = Ledger::default();
    let mut nodes = Vec::new();
    let mut pods = Vec::new();
    for name in input.drain {
        let node = input
            .nodes
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(name.as_str()));
        let Some(node) = node else {
            nodes.push(NodePlan {
                name: name.clone(),
                found: false,
                cordoned: false,
                warning: None,
                errors: vec![format!("nodes \"{name}\" not found")],
            });
            continue;
        };
        let planned: Vec<PodPlan> = pods_on(input.pods, name, options)
            .into_iter()
            .map(|pod| plan_pod(pod, name, options, &index, &mut ledger, now))
            .collect();
        let (warning, errors) = node_messages(&planned);
        nodes.push(NodePlan {
            name: name.clone(),
            found: true,
            cordoned: is_unschedulable(node),
            warning,
            errors,
        });
        pods.extend(planned);
    }
    let capacity = check_capacity(input, &pods);
    let summary = summarize(&nodes, &pods);
    DrainPlan {
        nodes,
        pods,
        summary,
        capacity,
    }
}

fn summarize(nodes: &[NodePlan], pods: &[PodPlan]) -> DrainSummary {
    let count = |v: Verdict| pods.iter().filter(|p| p.verdict == v).count();
    let refused_nodes = nodes.iter().filter(|n| !n.errors.is_empty()).count();
    let (evict, skip, blocked, refused) = (
        count(Verdict::Evict),
        count(Verdict::Skip),
        count(Verdict::Blocked),
        count(Verdict::Refused),
    );
    let outcome = if refused > 0 || refused_nodes > 0 {
        Outcome::Refused
    } else if blocked > 0 {
        Outcome::Blocked
    } else {
        Outcome::Completes
    };
    DrainSummary {
        evict,
        skip,
        blocked,
        refused,
        refused_nodes,
        completes_now: outcome == Outcome::Completes,
        outcome,
    }
}
