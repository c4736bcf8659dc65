//! Rows of the nodes view: kubectl's columns plus pod count and how much of the
//! node's allocatable CPU and memory is requested (as `kubectl describe node`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Node;

use super::age::age_since;
use super::drain::DrainCounts;
use super::node::{
    NodeReadiness, is_unschedulable, kubelet_version, readiness, roles, status, taints,
};
use super::quantity::parse_milli;
use super::resources::{holds_node_resources, pod_requests};
use super::table::{Column, TableRow, Tone, by};

pub const NAME: usize = 0;
pub const STATUS: usize = 1;
pub const ROLES: usize = 2;
pub const AGE: usize = 3;
pub const VERSION: usize = 4;
pub const PODS: usize = 5;
pub const CPU: usize = 6;
pub const MEMORY: usize = 7;
pub const DRAIN: usize = 8;
pub const TAINTS: usize = 9;

// STATUS is never cut: it carries the cordon state. TAINTS takes whatever room the
// other columns leave.
const COLUMNS: &[Column] = &[
    Column {
        title: "NAME",
        min: 8,
        max: 63,
        priority: 0,
        flexible: true,
    },
    Column {
        title: "STATUS",
        min: 6,
        max: 30,
        priority: 0,
        flexible: false,
    },
    Column {
        title: "ROLES",
        min: 5,
        max: 30,
        priority: 4,
        flexible: true,
    },
    Column {
        title: "AGE",
        min: 5,
        max: 9,
        priority: 5,
        flexible: false,
    },
    Column {
        title: "VERSION",
        min: 7,
        max: 20,
        priority: 4,
        flexible: false,
    },
    Column {
        title: "PODS",
        min: 4,
        max: 9,
        priority: 6,
        flexible: false,
    },
    Column {
        title: "CPU",
        min: 4,
        max: 5,
        priority: 6,
        flexible: false,
    },
    Column {
        title: "MEMORY",
        min: 6,
        max: 6,
        priority: 6,
        flexible: false,
    },
    Column {
        title: "DRAIN",
        min: 5,
        max: 60,
        priority: 4,
        flexible: true,
    },
    Column {
        title: "TAINTS",
        min: 6,
        max: 120,
        priority: 3,
        flexible: true,
    },
];

#[derive(Debug, Clone)]
pub struct NodeRow {
    pub node: Arc<Node>,
    pub status: String,
    pub readiness: NodeReadiness,
    pub unschedulable: bool,
    pub roles: String,
    pub version: String,
    pub created: Option<Timestamp>,
    /// Pods bound to the node that still hold resources (not Succeeded/Failed).
    pub pods: u32,
    pub pod_capacity: Option<i128>,
    /// Percent of allocatable requested, truncated like kubectl describe.
    pub cpu_percent: Option<i128>,
    pub memory_percent: Option<i128>,
    pub taints: String,
    /// What a plain `kubectl drain` would do with the node's pods now.
    pub drain: String,
    /// Something would stop a plain drain (a budget, a bare pod, emptyDir data,
    /// DaemonSet pods without --ignore-daemonsets).
    pub drain_hindered: bool,
}

#[derive(Default)]
struct NodeLoad {
    pods: u32,
    cpu: i128,
    memory: i128,
}

fn allocatable(node: &Node, resource: &str) -> Option<i128> {
    let status = node.status.as_ref()?;
    status
        .allocatable
        .as_ref()
        .and_then(|a| a.get(resource))
        .or_else(|| status.capacity.as_ref().and_then(|c| c.get(resource)))
        .and_then(|q| parse_milli(&q.0).ok())
}

fn percent(requested: i128, allocatable: Option<i128>) -> Option<i128> {
    allocatable.filter(|a| *a > 0).map(|a| requested * 100 / a)
}

/// The DRAIN cell: counts of what a drain with kubectl's default flags would do,
/// zero counts left out. `evict` pods go now; `pdb` pods are held by a budget;
/// `bare` pods have no controller (need --force); `emptyDir` pods need
/// --delete-emptydir-data; `ds` pods need --ignore-daemonsets.
pub fn drain_cell(counts: &DrainCounts) -> String {
    let parts: Vec<String> = [
        (counts.evictable, "evict"),
        (counts.blocked, "pdb"),
        (counts.unmanaged, "bare"),
        (counts.emptydir, "emptyDir"),
        (counts.daemonset, "ds"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "empty".to_string()
    } else {
        parts.join(" · ")
    }
}

pub fn node_rows<'a>(
    nodes: impl IntoIterator<Item = &'a Arc<Node>>,
    pods: &[Arc<Pod>],
    drain: &HashMap<String, DrainCounts>,
) -> Vec<NodeRow> {
    let mut load: HashMap<&str, NodeLoad> = HashMap::new();
    for pod in pods.iter().filter(|p| holds_node_resources(p)) {
        let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
            continue;
        };
        let requests = pod_requests(pod);
        let entry = load.entry(node).or_default();
        entry.pods += 1;
        entry.cpu += requests.get("cpu").copied().unwrap_or(0);
        entry.memory += requests.get("memory").copied().unwrap_or(0);
    }
    nodes
        .into_iter()
        .map(|node| {
            let name = node.metadata.name.as_deref().unwrap_or("");
            let used = load.get(name);
            let counts = drain.get(name).cloned().unwrap_or_default();
            NodeRow {
                drain: drain_cell(&counts),
                drain_hindered: counts.blocked
                    + counts.unmanaged
                    + counts.emptydir
                    + counts.daemonset
                    > 0,
                status: status(node),
                readiness: readiness(node),
                unschedulable: is_unschedulable(node),
                roles: roles(node),
                version: kubelet_version(node),
                created: node.metadata.creation_timestamp.as_ref().map(|t| t.0),
                pods: used.map_or(0, |u| u.pods),
                pod_capacity: allocatable(node, "pods").map(|p| p / 1000),
                cpu_percent: percent(used.map_or(0, |u| u.cpu), allocatable(node, "cpu")),
                memory_percent: percent(used.map_or(0, |u| u.memory), allocatable(node, "memory")),
                taints: taints(node),
                node: Arc::clone(node),
            }
        })
        .collect()
}

fn format_percent(p: Option<i128>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p}%"))
}

impl TableRow for NodeRow {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> (&str, &str) {
        ("", self.name())
    }

    fn name(&self) -> &str {
        self.node.metadata.name.as_deref().unwrap_or("")
    }

    fn labels(&self) -> Option<&BTreeMap<String, String>> {
        self.node.metadata.labels.as_ref()
    }

    fn cell(&self, column: usize, now: Timestamp) -> Cow<'_, str> {
        match column {
            NAME => Cow::Borrowed(self.name()),
            STATUS => Cow::Borrowed(&self.status),
            ROLES => Cow::Borrowed(&self.roles),
            AGE => Cow::Owned(age_since(self.created, now)),
            VERSION => Cow::Borrowed(&self.version),
            PODS => Cow::Owned(match self.pod_capacity {
                Some(cap) => format!("{}/{cap}", self.pods),
                None => self.pods.to_string(),
            }),
            CPU => Cow::Owned(format_percent(self.cpu_percent)),
            MEMORY => Cow::Owned(format_percent(self.memory_percent)),
            TAINTS => Cow::Borrowed(&self.taints),
            DRAIN => Cow::Borrowed(&self.drain),
            _ => Cow::Borrowed(""),
        }
    }

    fn measure(&self, column: usize) -> usize {
        match column {
            AGE if self.created.is_none() => "<unknown>".len(),
            AGE => 5,
            _ => super::table::display_width(&self.cell(column, Timestamp::UNIX_EPOCH)),
        }
    }

    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            AGE => by(other.created, self.created),
            PODS => by(self.pods, other.pods),
            CPU => by(self.cpu_percent, other.cpu_percent),
            MEMORY => by(self.memory_percent, other.memory_percent),
            NAME => Ordering::Equal,
            c => self
                .cell(c, Timestamp::UNIX_EPOCH)
                .cmp(&other.cell(c, Timestamp::UNIX_EPOCH)),
        }
        .then_with(|| self.name().cmp(other.name()))
    }

    fn tone(&self) -> Tone {
        match (self.readiness, self.unschedulable) {
            (NodeReadiness::Ready, false) => Tone::Good,
            (NodeReadiness::Ready, true) => Tone::Warning,
            _ => Tone::Bad,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_requests_of_pods_that_hold_resources() {
        let node: Arc<Node> = Arc::new(
            serde_json::from_value(json!({
                "metadata": {"name": "w1"},
                "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                    "conditions": [{"type": "Ready", "status": "True"}]}
            }))
            .unwrap(),
        );
        let pod = |name: &str, phase: &str, cpu: &str| -> Arc<Pod> {
            Arc::new(serde_json::from_value(json!({
                "metadata": {"name": name},
                "spec": {"nodeName": "w1", "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "1Gi"}}}]},
                "status": {"phase": phase}
            })).unwrap())
        };
        let pods = vec![
            pod("a", "Running", "1"),
            pod("b", "Pending", "500m"),
            pod("c", "Succeeded", "2"),
        ];
        let rows = node_rows([&node], &pods, &HashMap::new());
        let row = &rows[0];
        assert_eq!(row.pods, 2);
        assert_eq!(row.cell(PODS, Timestamp::UNIX_EPOCH), "2/110");
        assert_eq!(row.cell(CPU, Timestamp::UNIX_EPOCH), "37%"); // 1.5 of 4, truncated
        assert_eq!(row.cell(MEMORY, Timestamp::UNIX_EPOCH), "25%");
        assert_eq!(row.tone(), Tone::Good);
    }

    #[test]
    fn the_drain_cell_names_only_what_is_there() {
        let counts = DrainCounts {
            evictable: 3,
            blocked: 1,
            daemonset: 2,
            ..DrainCounts::default()
        };
        assert_eq!(drain_cell(&counts), "3 evict · 1 pdb · 2 ds");
        assert_eq!(drain_cell(&DrainCounts::default()), "empty");
    }
}
