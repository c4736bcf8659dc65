//! Rows of the pods view: kubectl's columns plus node and QoS.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use crate::cluster::pod::Pod;
use jiff::Timestamp;

use super::age::age_since;
use super::pod::{Health, PodSummary, format_restarts, summarize};
use super::qos::{QosClass, pod_qos};
use super::table::{Column, TableRow, Tone, by};

pub const NAMESPACE: usize = 0;
pub const NAME: usize = 1;
pub const READY: usize = 2;
pub const STATUS: usize = 3;
pub const RESTARTS: usize = 4;
pub const AGE: usize = 5;
pub const IP: usize = 6;
pub const NODE: usize = 7;
pub const QOS: usize = 8;

// Priorities decide what a narrow screen gives up first: the IP, then the node and
// QoS, then restarts and age; never the name or the status, which is never cut.
const COLUMNS: &[Column] = &[
    Column {
        title: "NAMESPACE",
        min: 8,
        max: 24,
        priority: 6,
        flexible: true,
    },
    Column {
        title: "NAME",
        min: 20,
        max: 63,
        priority: 0,
        flexible: true,
    },
    Column {
        title: "READY",
        min: 5,
        max: 7,
        priority: 7,
        flexible: false,
    },
    Column {
        title: "STATUS",
        min: 6,
        max: 26,
        priority: 0,
        flexible: false,
    },
    Column {
        title: "RESTARTS",
        min: 8,
        max: 16,
        priority: 4,
        flexible: false,
    },
    Column {
        title: "AGE",
        min: 5,
        max: 9,
        priority: 5,
        flexible: false,
    },
    Column {
        title: "IP",
        min: 2,
        max: 39,
        priority: 1,
        flexible: false,
    },
    Column {
        title: "NODE",
        min: 8,
        max: 40,
        priority: 2,
        flexible: true,
    },
    Column {
        title: "QOS",
        min: 3,
        max: 10,
        priority: 2,
        flexible: false,
    },
];

/// One pod, with everything the columns need computed once per cache change.
#[derive(Debug, Clone)]
pub struct PodRow {
    pub pod: Arc<Pod>,
    pub summary: PodSummary,
    pub qos: QosClass,
    pub created: Option<Timestamp>,
}

impl PodRow {
    pub fn new(pod: Arc<Pod>) -> Self {
        PodRow {
            summary: summarize(&pod),
            qos: pod_qos(&pod),
            created: pod.metadata.creation_timestamp.as_ref().map(|t| t.0),
            pod,
        }
    }

    pub fn namespace(&self) -> &str {
        self.pod.metadata.namespace.as_deref().unwrap_or("")
    }

    pub fn node(&self) -> &str {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty())
            .unwrap_or("<none>")
    }

    /// kubectl shows the first of `status.podIPs`.
    pub fn ip(&self) -> &str {
        self.pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ips.as_ref())
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.as_str())
            .filter(|ip| !ip.is_empty())
            .unwrap_or("<none>")
    }
}

/// Builds rows for every pod the filter passes.
pub fn pod_rows<'a>(
    pods: impl IntoIterator<Item = &'a Arc<Pod>>,
    namespace: Option<&str>,
    node: Option<&str>,
) -> Vec<PodRow> {
    let shown: Vec<&Arc<Pod>> = pods
        .into_iter()
        .filter(|p| namespace.is_none_or(|ns| p.metadata.namespace.as_deref() == Some(ns)))
        .filter(|p| {
            node.is_none_or(|n| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(n))
        })
        .collect();
    super::parallel::map(&shown, |p| PodRow::new(Arc::clone(p)))
}

fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

fn ip_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

impl TableRow for PodRow {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> (&str, &str) {
        (self.namespace(), self.name())
    }

    fn name(&self) -> &str {
        self.pod.metadata.name.as_deref().unwrap_or("")
    }

    fn labels(&self) -> Option<&BTreeMap<String, String>> {
        self.pod.metadata.labels.as_ref()
    }

    fn cell(&self, column: usize, now: Timestamp) -> Cow<'_, str> {
        match column {
            NAMESPACE => Cow::Borrowed(self.namespace()),
            NAME => Cow::Borrowed(self.name()),
            READY => Cow::Owned(format!("{}/{}", self.summary.ready, self.summary.total)),
            STATUS => Cow::Borrowed(&self.summary.status),
            RESTARTS => Cow::Owned(format_restarts(
                self.summary.restarts,
                self.summary.last_restart,
                now,
            )),
            AGE => Cow::Owned(age_since(self.created, now)),
            IP => Cow::Borrowed(self.ip()),
            NODE => Cow::Borrowed(self.node()),
            QOS => Cow::Borrowed(self.qos.as_str()),
            _ => Cow::Borrowed(""),
        }
    }

    fn measure(&self, column: usize) -> usize {
        match column {
            // "(5m12s ago)" is at most 12 wide with its leading space.
            RESTARTS => {
                digits(self.summary.restarts)
                    + if self.summary.last_restart.is_some() && self.summary.restarts > 0 {
                        12
                    } else {
                        0
                    }
            }
            READY => digits(self.summary.ready) + 1 + digits(self.summary.total),
            AGE if self.created.is_none() => "<unknown>".len(),
            AGE => 5,
            _ => super::table::display_width(&self.cell(column, Timestamp::UNIX_EPOCH)),
        }
    }

    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            NAMESPACE => self.namespace().cmp(other.namespace()),
            READY => by(
                (self.summary.ready, self.summary.total),
                (other.summary.ready, other.summary.total),
            ),
            RESTARTS => by(self.summary.restarts, other.summary.restarts),
            // Youngest first: ascending age.
            AGE => by(other.created, self.created),
            IP => ip_order(self.ip(), other.ip()),
            QOS => by(self.qos, other.qos),
            NAME => Ordering::Equal,
            c => self
                .cell(c, Timestamp::UNIX_EPOCH)
                .cmp(&other.cell(c, Timestamp::UNIX_EPOCH)),
        }
        .then_with(|| self.name().cmp(other.name()))
    }

    fn tone(&self) -> Tone {
        match self.summary.health() {
            Health::Healthy => Tone::Good,
            Health::Progressing => Tone::Progressing,
            Health::Done => Tone::Muted,
            Health::Failing => Tone::Bad,
        }
    }
}
