//! The QoS views: why one pod has its class (per container, requests and limits
//! as the API server stores them), and the `:qos` view of every node's pods in
//! the order the kubelet would evict them under memory pressure.

use std::collections::BTreeMap;

use crate::cluster::pod::Quantities;
use crate::cluster::pod::ResourceRequirements;
use crate::cluster::pod::{Container, Pod};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Node;

use crate::cluster::{Kind, Stores};

use super::age::age_since;
use super::doc::{Cell, Doc, DocLine, ObjectRef, Span};
use super::qos::{QosClass, compute_qos, pod_qos};
use super::quantity::parse_milli;
use super::table::Tone;

/// One cpu or memory value of a container as the API server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    Unset,
    /// Set explicitly, as written.
    Set(String),
    /// A request the API server defaulted to the limit.
    FromLimit(String),
}

impl Amount {
    fn is_set(&self) -> bool {
        !matches!(self, Amount::Unset)
    }

    fn text(&self) -> &str {
        match self {
            Amount::Unset => "",
            Amount::Set(text) | Amount::FromLimit(text) => text,
        }
    }

    fn cell(&self) -> Cell {
        match self {
            Amount::Unset => ("-".into(), Tone::Muted),
            Amount::Set(text) => (text.clone(), Tone::Normal),
            Amount::FromLimit(text) => (format!("{text} (=limit)"), Tone::Muted),
        }
    }
}

/// Requests and limits of one container (or of the pod, with pod-level resources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerResources {
    pub name: String,
    /// "container", "init", "sidecar" (a restartable init container) or "pod".
    pub role: &'static str,
    pub cpu_request: Amount,
    pub cpu_limit: Amount,
    pub memory_request: Amount,
    pub memory_limit: Amount,
    /// Why this container keeps the pod from Guaranteed; empty when it does not.
    pub reasons: Vec<String>,
}

/// A quantity counts for QoS only when it parses and is positive, as in
/// `ComputePodQOS` (pkg/apis/core/helper/qos/qos.go).
fn counted(list: Option<&Quantities>, resource: &str) -> Option<String> {
    list.and_then(|l| l.get(resource))
        .filter(|q| parse_milli(&q.0).is_ok_and(|v| v > 0))
        .map(|q| q.0.clone())
}

fn explicit(list: Option<&Quantities>, resource: &str) -> bool {
    list.is_some_and(|l| l.contains_key(resource))
}

fn milli(text: &str) -> i128 {
    parse_milli(text).unwrap_or(0)
}

fn analyse(
    name: &str,
    role: &'static str,
    res: Option<&ResourceRequirements>,
) -> ContainerResources {
    let requests = res.and_then(|r| r.requests.as_ref());
    let limits = res.and_then(|r| r.limits.as_ref());
    // The API server defaults a missing request to the limit (SetDefaults_Container).
    let amounts = |resource: &str| {
        let limit = counted(limits, resource);
        let request = match (counted(requests, resource), &limit) {
            (Some(r), _) => Amount::Set(r),
            (None, Some(l)) if !explicit(requests, resource) => Amount::FromLimit(l.clone()),
            _ => Amount::Unset,
        };
        (request, limit.map_or(Amount::Unset, Amount::Set))
    };
    let (cpu_request, cpu_limit) = amounts("cpu");
    let (memory_request, memory_limit) = amounts("memory");
    let mut reasons = Vec::new();
    let subject = match role {
        "pod" => "the pod".to_string(),
        "container" => format!("container {name}"),
        _ => format!("{role} container {name}"),
    };
    for (resource, request, limit) in [
        ("cpu", &cpu_request, &cpu_limit),
        ("memory", &memory_request, &memory_limit),
    ] {
        if !limit.is_set() {
            reasons.push(format!("{subject} has no {resource} limit"));
        } else if !request.is_set() {
            // An explicit zero request is kept (not defaulted) and does not count.
            reasons.push(format!(
                "{subject} requests no {resource}, below its limit {}",
                limit.text()
            ));
        } else if milli(request.text()) != milli(limit.text()) {
            reasons.push(format!(
                "{subject} requests {} {resource}, below its limit {}",
                request.text(),
                limit.text()
            ));
        }
    }
    ContainerResources {
        name: name.to_string(),
        role,
        cpu_request,
        cpu_limit,
        memory_request,
        memory_limit,
        reasons,
    }
}

fn role_of(container: &Container, init: bool) -> &'static str {
    match (init, container.restart_policy.as_deref()) {
        (true, Some("Always")) => "sidecar",
        (true, _) => "init",
        (false, _) => "container",
    }
}

/// The QoS analysis of a pod: its class, where the class came from, why, and
/// every container's resources (init containers first, as the pod runs them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QosExplanation {
    pub class: QosClass,
    /// True when the class is `status.qosClass`, false when computed here.
    pub from_status: bool,
    pub computed: QosClass,
    pub reason: String,
    /// Pod-level resources (`spec.resources`), which decide the class when set.
    pub pod_level: Option<ContainerResources>,
    pub containers: Vec<ContainerResources>,
}

/// Explains `pod`'s QoS class as `ComputePodQOS` decides it.
pub fn explain(pod: &Pod) -> QosExplanation {
    let spec = pod.spec.as_ref();
    let stored = pod
        .status
        .as_ref()
        .and_then(|s| s.qos_class.as_deref())
        .is_some_and(|c| ["BestEffort", "Burstable", "Guaranteed"].contains(&c));
    let computed = spec.map_or(QosClass::BestEffort, compute_qos);
    let containers: Vec<ContainerResources> = spec
        .into_iter()
        .flat_map(|s| {
            let init = s.init_containers.iter().flatten().map(|c| (c, true));
            init.chain(s.containers.iter().map(|c| (c, false)))
        })
        .map(|(c, init)| analyse(&c.name, role_of(c, init), c.resources.as_ref()))
        .collect();
    let pod_level = spec
        .and_then(|s| s.resources.as_ref())
        .filter(|r| {
            r.requests.as_ref().is_some_and(|m| !m.is_empty())
                || r.limits.as_ref().is_some_and(|m| !m.is_empty())
        })
        .map(|r| analyse("(pod)", "pod", Some(r)));
    let deciding: Vec<&ContainerResources> = match &pod_level {
        Some(pod) => vec![pod],
        None => containers.iter().collect(),
    };
    let reason = match computed {
        QosClass::BestEffort => match pod_level {
            Some(_) => "the pod-level resources set no cpu or memory request or limit".into(),
            None => "no container sets a cpu or memory request or limit".into(),
        },
        QosClass::Guaranteed => match pod_level {
            Some(_) => "pod-level cpu and memory limits are set and requests equal them".into(),
            None => "every container has cpu and memory limits, and requests equal to them".into(),
        },
        QosClass::Burstable => {
            let reasons: Vec<String> = deciding
                .iter()
                .flat_map(|c| c.reasons.iter().cloned())
                .collect();
            if reasons.is_empty() {
                "requests differ from limits".to_string()
            } else {
                reasons.join("; ")
            }
        }
    };
    QosExplanation {
        class: pod_qos(pod),
        from_status: stored,
        computed,
        reason,
        pod_level,
        containers,
    }
}

fn class_tone(class: QosClass) -> Tone {
    match class {
        QosClass::Guaranteed => Tone::Good,
        QosClass::Burstable => Tone::Normal,
        QosClass::BestEffort => Tone::Warning,
    }
}

fn pod_ref(pod: &Pod) -> ObjectRef {
    ObjectRef::new(
        Kind::Pod,
        pod.metadata.namespace.clone().unwrap_or_default(),
        pod.metadata.name.clone().unwrap_or_default(),
    )
}

/// The QoS view of one pod: class, reason, and the per-container table.
pub fn qos_doc(pod: &Pod, now: Timestamp) -> Doc {
    let explanation = explain(pod);
    let target = pod_ref(pod);
    let mut doc = Doc::new(format!("QoS {}/{}", target.namespace, target.name));
    doc.heading("QoS class");
    doc.link(
        vec![
            Span::new("Pod:    ", Tone::Muted),
            Span::new(
                format!("{}/{}", target.namespace, target.name),
                Tone::Normal,
            ),
        ],
        target.clone(),
    );
    let source = if explanation.from_status {
        "status.qosClass"
    } else {
        "computed from the spec"
    };
    doc.fields(&[
        (
            "Class",
            (
                format!("{} ({source})", explanation.class.as_str()),
                class_tone(explanation.class),
            ),
        ),
        ("Reason", (explanation.reason.clone(), Tone::Normal)),
        (
            "Age",
            (
                age_since(pod.metadata.creation_timestamp.as_ref().map(|t| t.0), now),
                Tone::Normal,
            ),
        ),
    ]);
    if explanation.from_status && explanation.computed != explanation.class {
        doc.text(
            format!(
                "The spec computes to {}; the stored class was set when the pod was created.",
                explanation.computed.as_str()
            ),
            Tone::Warning,
        );
    }
    let row = |c: &ContainerResources, deciding: bool| {
        let note = if !deciding || c.reasons.is_empty() {
            ("".to_string(), Tone::Muted)
        } else if explanation.computed == QosClass::BestEffort {
            ("no requests or limits".to_string(), Tone::Warning)
        } else {
            (
                format!("makes the pod {}", explanation.computed.as_str()),
                Tone::Warning,
            )
        };
        (
            vec![
                (c.name.clone(), Tone::Normal),
                (c.role.to_string(), Tone::Muted),
                c.cpu_request.cell(),
                c.cpu_limit.cell(),
                c.memory_request.cell(),
                c.memory_limit.cell(),
                note,
            ],
            None,
        )
    };
    let header = [
        "CONTAINER",
        "TYPE",
        "CPU REQ",
        "CPU LIM",
        "MEM REQ",
        "MEM LIM",
        "QOS",
    ];
    if let Some(pod_level) = &explanation.pod_level {
        doc.heading("Pod-level resources (decide the class)");
        doc.table(&header, vec![row(pod_level, true)]);
    }
    doc.heading("Containers");
    let deciding = explanation.pod_level.is_none();
    let rows = explanation
        .containers
        .iter()
        .map(|c| row(c, deciding))
        .collect();
    doc.table(&header, rows);
    if explanation
        .containers
        .iter()
        .chain(explanation.pod_level.iter())
        .any(|c| {
            matches!(c.cpu_request, Amount::FromLimit(_))
                || matches!(c.memory_request, Amount::FromLimit(_))
        })
    {
        doc.text(
            "(=limit): no request was set, so the API server defaulted it to the limit.",
            Tone::Muted,
        );
    }
    doc
}

fn priority(pod: &Pod) -> i32 {
    pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0)
}

/// `IsCriticalPod` (pkg/kubelet/types/pod_update.go): static and mirror pods and
/// pods at system-critical priority, which the eviction manager never evicts.
fn is_critical(pod: &Pod) -> bool {
    let annotations = pod.metadata.annotations.as_ref();
    let static_pod = annotations
        .and_then(|a| a.get("kubernetes.io/config.source"))
        .is_some_and(|source| source != "api");
    let mirror = annotations.is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
    static_pod || mirror || priority(pod) >= 2_000_000_000
}

fn is_finished(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// The `:qos` view: each node's running pods in eviction order under memory
/// pressure, then the pods not on any node.
pub fn qos_by_node_doc(pods: &[&Pod], nodes: &[&Node], now: Timestamp) -> Doc {
    let mut doc = Doc::new("QoS by node");
    // The kubelet's ranking (rankMemoryPressure in pkg/kubelet/eviction/helpers.go)
    // is: usage above requests first, then lower priority, then usage above
    // requests. Without usage metrics the QoS class stands in for the first key
    // (BestEffort pods request nothing, so any usage exceeds it).
    doc.text(
        "Eviction order under memory pressure, approximated without usage metrics: BestEffort, \
         then Burstable, then Guaranteed; within a class, lower priority first.",
        Tone::Muted,
    );
    let mut by_node: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for node in nodes {
        by_node
            .entry(node.metadata.name.clone().unwrap_or_default())
            .or_default();
    }
    let mut unscheduled: Vec<&Pod> = Vec::new();
    for pod in pods.iter().copied().filter(|p| !is_finished(p)) {
        match pod.spec.as_ref().and_then(|s| s.node_name.clone()) {
            Some(node) if !node.is_empty() => by_node.entry(node).or_default().push(pod),
            _ => unscheduled.push(pod),
        }
    }
    let key = |p: &&Pod| {
        (
            pod_qos(p),
            priority(p),
            p.metadata.namespace.clone().unwrap_or_default(),
            p.metadata.name.clone().unwrap_or_default(),
        )
    };
    let table = |doc: &mut Doc, mut pods: Vec<&Pod>, numbered: bool| {
        pods.sort_by_key(key);
        let rows = pods
            .iter()
            .enumerate()
            .map(|(i, pod)| {
                let class = pod_qos(pod);
                let order = if numbered {
                    (i + 1).to_string()
                } else {
                    "-".into()
                };
                (
                    vec![
                        (order, Tone::Muted),
                        (
                            pod.metadata.namespace.clone().unwrap_or_default(),
                            Tone::Normal,
                        ),
                        (pod.metadata.name.clone().unwrap_or_default(), Tone::Normal),
                        (class.as_str().to_string(), class_tone(class)),
                        (priority(pod).to_string(), Tone::Normal),
                        (
                            age_since(pod.metadata.creation_timestamp.as_ref().map(|t| t.0), now),
                            Tone::Normal,
                        ),
                        if is_critical(pod) {
                            ("critical: never evicted".to_string(), Tone::Muted)
                        } else {
                            (String::new(), Tone::Normal)
                        },
                    ],
                    Some(pod_ref(pod)),
                )
            })
            .collect();
        doc.table(
            &["#", "NAMESPACE", "POD", "QOS", "PRIORITY", "AGE", "NOTE"],
            rows,
        );
    };
    for (node, node_pods) in by_node {
        let count = node_pods.len();
        if !doc.lines.is_empty() {
            doc.blank();
        }
        doc.lines.push(DocLine {
            spans: vec![Span::new(
                format!("Node {node} ({count} pods)"),
                Tone::Normal,
            )],
            target: Some(ObjectRef::new(Kind::Node, "", node)),
            heading: true,
        });
        if count > 0 {
            table(&mut doc, node_pods, true);
        }
    }
    if !unscheduled.is_empty() {
        doc.heading(format!("Not on a node ({} pods)", unscheduled.len()));
        table(&mut doc, unscheduled, false);
    }
    doc
}

/// [`qos_doc`] for the cached pod `namespace/name`; `None` when it is not cached.
pub fn qos_doc_in(stores: &Stores, namespace: &str, name: &str, now: Timestamp) -> Option<Doc> {
    let pod = stores.pod(namespace, name)?;
    Some(qos_doc(&pod, now))
}

/// [`qos_by_node_doc`] over the cache.
pub fn qos_by_node_in(stores: &Stores, now: Timestamp) -> Doc {
    let pods = stores.pods.state();
    let nodes = stores.nodes.state();
    let pods: Vec<&Pod> = pods.iter().map(|p| p.as_ref()).collect();
    let nodes: Vec<&Node> = nodes.iter().map(|n| n.as_ref()).collect();
    qos_by_node_doc(&pods, &nodes, now)
}

#[cfg(test)]
mod tests;
