//! PodDisruptionBudgets as the eviction API and the disruption controller see
//! them: which pods a budget selects (policy/v1: an empty selector selects every
//! pod of its namespace, a missing one none — `metav1.LabelSelectorAsSelector`),
//! its spec resolved the way `pkg/controller/disruption/disruption.go`
//! `getExpectedPodCount` rounds it, and its status. Also the `:pdb` view.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::doc::{Doc, ObjectRef, Span};
use super::selector::{Selector, from_label_selector};
use super::table::Tone;
use crate::cluster::Kind;

/// The default `unhealthyPodEvictionPolicy` when the spec leaves it out.
pub const DEFAULT_UNHEALTHY_POLICY: &str = "IfHealthyBudget";

/// A budget's selector, parsed once: `None` selects nothing.
#[derive(Debug, Clone)]
pub struct CompiledPdb<'a> {
    pub pdb: &'a PodDisruptionBudget,
    pub selector: Option<Selector>,
}

impl<'a> CompiledPdb<'a> {
    /// Parses the selector; a missing or invalid one selects no pod (the API
    /// server skips budgets whose selector does not convert).
    pub fn new(pdb: &'a PodDisruptionBudget) -> Self {
        let selector = pdb
            .spec
            .as_ref()
            .and_then(|s| s.selector.as_ref())
            .and_then(|s| from_label_selector(s).ok());
        CompiledPdb { pdb, selector }
    }

    /// Whether this budget covers `pod`: same namespace and selected.
    pub fn covers(&self, pod: &Pod) -> bool {
        if self.pdb.metadata.namespace != pod.metadata.namespace {
            return false;
        }
        let empty = BTreeMap::new();
        let labels = pod.metadata.labels.as_ref().unwrap_or(&empty);
        self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }
}

/// Budgets indexed for many pods. A budget with a `matchLabels` entry is filed
/// under its first one, so a pod only meets the budgets one of its own labels
/// names (plus those without `matchLabels`): O(labels + candidates) per pod
/// rather than O(budgets in the namespace).
pub struct PdbIndex<'a> {
    compiled: Vec<CompiledPdb<'a>>,
    /// (namespace, label key, label value) → budgets requiring that label.
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// namespace → budgets without `matchLabels`, checked against every pod.
    unlabelled: HashMap<&'a str, Vec<usize>>,
}

impl<'a> PdbIndex<'a> {
    /// Compiles and files every budget; indexes refer to positions in `pdbs`.
    pub fn new(pdbs: &[&'a PodDisruptionBudget]) -> Self {
        let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        let mut unlabelled: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, pdb) in pdbs.iter().enumerate() {
            let ns = pdb.metadata.namespace.as_deref().unwrap_or("");
            let first = pdb
                .spec
                .as_ref()
                .and_then(|s| s.selector.as_ref())
                .and_then(|s| s.match_labels.as_ref())
                .and_then(|l| l.iter().next());
            match first {
                Some((k, v)) => by_label.entry((ns, k, v)).or_default().push(i),
                None => unlabelled.entry(ns).or_default().push(i),
            }
        }
        PdbIndex {
            compiled: pdbs.iter().map(|p| CompiledPdb::new(p)).collect(),
            by_label,
            unlabelled,
        }
    }

    /// Positions of the budgets covering `pod`, in no particular order.
    pub fn covering<'s>(&'s self, pod: &'s Pod) -> impl Iterator<Item = usize> + 's {
        let ns = pod.metadata.namespace.as_deref().unwrap_or("");
        let by_label = pod
            .metadata
            .labels
            .iter()
            .flatten()
            .filter_map(move |(k, v)| self.by_label.get(&(ns, k.as_str(), v.as_str())))
            .flatten();
        self.unlabelled
            .get(ns)
            .into_iter()
            .flatten()
            .chain(by_label)
            .copied()
            .filter(move |&i| self.compiled[i].covers(pod))
    }
}

/// The budgets of `pdbs` that cover `pod`, in the order given.
pub fn pdbs_covering<'a>(
    pod: &Pod,
    pdbs: &[&'a PodDisruptionBudget],
) -> Vec<&'a PodDisruptionBudget> {
    pdbs.iter()
        .copied()
        .filter(|pdb| CompiledPdb::new(pdb).covers(pod))
        .collect()
}

/// `podutil.IsPodReady`: the Ready condition is True. The disruption controller
/// counts exactly these pods (when not terminating) as healthy.
pub fn is_pod_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// What a budget says, spec and status, ready to show and to reason about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetFacts {
    pub namespace: String,
    pub name: String,
    /// The selector as kubectl writes label selectors.
    pub selector: String,
    pub min_available: Option<String>,
    pub max_unavailable: Option<String>,
    /// How the spec resolves against `expectedPods`, rounded up as the
    /// disruption controller rounds it.
    pub resolved: Option<String>,
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    pub disruptions_allowed: i32,
    pub unhealthy_pod_eviction_policy: String,
    /// True when the controller has not yet seen the latest spec: the API
    /// server then refuses evictions ("still being processed").
    pub stale: bool,
}

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)`; `None` for a
/// string that is not a whole percentage (the controller errors on those).
pub fn scaled_value(v: &IntOrString, total: i32) -> Option<i32> {
    match v {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(s) => {
            let percent: i64 = s.strip_suffix('%')?.parse().ok()?;
            let scaled = percent * i64::from(total);
            Some(scaled.div_euclid(100) as i32 + i32::from(scaled.rem_euclid(100) != 0))
        }
    }
}

fn resolve(min: Option<&IntOrString>, max: Option<&IntOrString>, expected: i32) -> Option<String> {
    let pods = |n: i32| if n == 1 { "pod" } else { "pods" };
    if let Some(max) = max {
        let unavailable = scaled_value(max, expected)?;
        let desired = (expected - unavailable).max(0);
        return Some(match max {
            IntOrString::Int(_) => format!(
                "at most {unavailable} of {expected} expected {} unavailable: {desired} must stay healthy",
                pods(expected)
            ),
            IntOrString::String(s) => format!(
                "maxUnavailable {s} of {expected} expected {} = {unavailable} (rounded up): {desired} must stay healthy",
                pods(expected)
            ),
        });
    }
    let min = min?;
    let desired = scaled_value(min, expected)?;
    Some(match min {
        IntOrString::Int(_) => format!("{desired} {} must stay healthy", pods(desired)),
        IntOrString::String(s) => format!(
            "minAvailable {s} of {expected} expected {} = {desired} (rounded up) must stay healthy",
            pods(expected)
        ),
    })
}

/// kubectl's text for a structured label selector (`LabelSelectorAsSelector(..).String()`),
/// with the policy/v1 meaning of the empty and the missing selector spelled out.
pub fn selector_text(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "<unset> (selects no pods)".into();
    };
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in selector.match_labels.iter().flatten() {
        parts.push(format!("{k}={v}"));
    }
    for e in selector.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        let part = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({})", e.key, values.join(",")),
        };
        parts.push(part);
    }
    if parts.is_empty() {
        return "<empty> (selects every pod in the namespace)".into();
    }
    parts.sort();
    parts.join(",")
}

/// The facts of one budget.
pub fn budget_facts(pdb: &PodDisruptionBudget) -> BudgetFacts {
    let spec = pdb.spec.as_ref();
    let status = pdb.status.as_ref();
    let min = spec.and_then(|s| s.min_available.as_ref());
    let max = spec.and_then(|s| s.max_unavailable.as_ref());
    let expected = status.map_or(0, |s| s.expected_pods.unwrap_or(0));
    let generation = pdb.metadata.generation.unwrap_or(0);
    let observed = status.and_then(|s| s.observed_generation).unwrap_or(0);
    BudgetFacts {
        namespace: pdb.metadata.namespace.clone().unwrap_or_default(),
        name: pdb.metadata.name.clone().unwrap_or_default(),
        selector: selector_text(spec.and_then(|s| s.selector.as_ref())),
        min_available: min.map(int_or_string),
        max_unavailable: max.map(int_or_string),
        resolved: resolve(min, max, expected),
        current_healthy: status.map_or(0, |s| s.current_healthy.unwrap_or(0)),
        desired_healthy: status.map_or(0, |s| s.desired_healthy.unwrap_or(0)),
        expected_pods: expected,
        disruptions_allowed: status.map_or(0, |s| s.disruptions_allowed.unwrap_or(0)),
        unhealthy_pod_eviction_policy: spec
            .and_then(|s| s.unhealthy_pod_eviction_policy.clone())
            .unwrap_or_else(|| DEFAULT_UNHEALTHY_POLICY.into()),
        stale: observed < generation,
    }
}

impl BudgetFacts {
    /// Whether the API server lets an unready pod go without consuming a
    /// disruption (`eviction.go`): always with AlwaysAllow; with
    /// IfHealthyBudget when the budget is currently met.
    pub fn unhealthy_pod_may_go(&self) -> bool {
        self.unhealthy_pod_eviction_policy == "AlwaysAllow"
            || (self.current_healthy >= self.desired_healthy && self.desired_healthy > 0)
    }

    /// The 429 cause the API server sends when no disruption is left.
    pub fn no_disruption_message(&self) -> String {
        format!(
            "The disruption budget {} needs {} healthy pods and has {} currently",
            self.name, self.desired_healthy, self.current_healthy
        )
    }

    /// The spec in one phrase: `minAvailable 2`, `maxUnavailable 50%`.
    pub fn spec_text(&self) -> String {
        match (&self.min_available, &self.max_unavailable) {
            (_, Some(max)) => format!("maxUnavailable {max}"),
            (Some(min), None) => format!("minAvailable {min}"),
            (None, None) => "no minAvailable or maxUnavailable".into(),
        }
    }
}

/// Whether evicting `pod` would consume a disruption of a budget with `facts`:
/// a running, non-terminating pod does, unless it is unready and may go.
pub fn needs_disruption(pod: &Pod, facts: &BudgetFacts) -> bool {
    let terminating = pod.metadata.deletion_timestamp.is_some();
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    let ignores = terminating || matches!(phase, Some("Pending" | "Succeeded" | "Failed"));
    !ignores && (is_pod_ready(pod) || !facts.unhealthy_pod_may_go())
}

/// One pod a budget selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdbPod {
    pub namespace: String,
    pub name: String,
    pub node: Option<String>,
    pub healthy: bool,
}

/// One budget in the `:pdb` view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdbView {
    pub facts: BudgetFacts,
    pub pods: Vec<PdbPod>,
    /// Nodes a drain of which the budget stops now: they hold more pods that
    /// need a disruption than it allows, or a pod another budget also selects.
    pub blocks_nodes: Vec<String>,
}

/// Every budget with its pods and the nodes it blocks, sorted by namespace/name.
pub fn pdb_views(pdbs: &[&PodDisruptionBudget], pods: &[&Pod]) -> Vec<PdbView> {
    let index = PdbIndex::new(pdbs);
    let facts: Vec<BudgetFacts> = pdbs.iter().map(|p| budget_facts(p)).collect();
    let mut matched: Vec<Vec<&Pod>> = vec![Vec::new(); pdbs.len()];
    let mut multiply_covered: BTreeSet<(usize, String)> = BTreeSet::new();
    for pod in pods {
        let covering: Vec<usize> = index.covering(pod).collect();
        for &i in &covering {
            matched[i].push(pod);
            if covering.len() > 1
                && let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone())
            {
                multiply_covered.insert((i, node));
            }
        }
    }
    let mut views: Vec<PdbView> = matched
        .into_iter()
        .zip(facts)
        .enumerate()
        .map(|(i, (mut pods, facts))| {
            pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            let mut needing: BTreeMap<String, i32> = BTreeMap::new();
            for pod in &pods {
                if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone())
                    && needs_disruption(pod, &facts)
                {
                    *needing.entry(node).or_default() += 1;
                }
            }
            let mut blocks: BTreeSet<String> = needing
                .into_iter()
                .filter(|(_, n)| facts.stale || *n > facts.disruptions_allowed.max(0))
                .map(|(node, _)| node)
                .collect();
            blocks.extend(
                multiply_covered
                    .iter()
                    .filter(|(j, _)| *j == i)
                    .map(|(_, node)| node.clone()),
            );
            PdbView {
                pods: pods
                    .iter()
                    .map(|p| PdbPod {
                        namespace: p.metadata.namespace.clone().unwrap_or_default(),
                        name: p.metadata.name.clone().unwrap_or_default(),
                        node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
                        healthy: is_pod_ready(p),
                    })
                    .collect(),
                facts,
                blocks_nodes: blocks.into_iter().collect(),
            }
        })
        .collect();
    views.sort_by(|a, b| {
        (&a.facts.namespace, &a.facts.name).cmp(&(&b.facts.namespace, &b.facts.name))
    });
    views
}

/// The `:pdb` view: one section per budget, its pods and blocked nodes linked.
pub fn pdb_doc(views: &[PdbView], _now: Timestamp) -> Doc {
    let mut doc = Doc::new("PodDisruptionBudgets");
    if views.is_empty() {
        doc.text("No PodDisruptionBudgets.", Tone::Muted);
    }
    for view in views {
        let f = &view.facts;
        doc.heading(format!("{}/{}", f.namespace, f.name));
        let allowed_tone = if f.disruptions_allowed > 0 {
            Tone::Good
        } else {
            Tone::Warning
        };
        let mut fields: Vec<(&str, (String, Tone))> = vec![
            ("Selector", (f.selector.clone(), Tone::Normal)),
            ("Spec", (f.spec_text(), Tone::Normal)),
        ];
        if let Some(resolved) = &f.resolved {
            fields.push(("Resolved", (resolved.clone(), Tone::Normal)));
        }
        fields.extend([
            (
                "Healthy",
                (
                    format!(
                        "{} current / {} desired ({} expected)",
                        f.current_healthy, f.desired_healthy, f.expected_pods
                    ),
                    if f.current_healthy >= f.desired_healthy {
                        Tone::Good
                    } else {
                        Tone::Warning
                    },
                ),
            ),
            (
                "Allowed disruptions",
                (f.disruptions_allowed.to_string(), allowed_tone),
            ),
            (
                "Unhealthy pod eviction policy",
                (f.unhealthy_pod_eviction_policy.clone(), Tone::Normal),
            ),
        ]);
        if f.stale {
            fields.push((
                "Status",
                (
                    "not yet observed by the disruption controller".into(),
                    Tone::Warning,
                ),
            ));
        }
        doc.fields(&fields);
        if view.pods.is_empty() {
            doc.text("Selects no pods.", Tone::Muted);
        } else {
            let rows = view
                .pods
                .iter()
                .map(|p| {
                    (
                        vec![
                            (p.name.clone(), Tone::Normal),
                            (
                                p.node.clone().unwrap_or_else(|| "<none>".into()),
                                Tone::Normal,
                            ),
                            if p.healthy {
                                ("Ready".to_string(), Tone::Good)
                            } else {
                                ("NotReady".to_string(), Tone::Warning)
                            },
                        ],
                        Some(ObjectRef::new(Kind::Pod, &p.namespace, &p.name)),
                    )
                })
                .collect();
            doc.table(&["POD", "NODE", "HEALTH"], rows);
        }
        for node in &view.blocks_nodes {
            doc.link(
                vec![
                    Span::new("Blocks drain of node ", Tone::Warning),
                    Span::new(node.clone(), Tone::Normal),
                ],
                ObjectRef::new(Kind::Node, "", node),
            );
        }
    }
    doc
}
