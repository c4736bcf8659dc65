//! The rollout view of a Deployment, StatefulSet or DaemonSet: revision history,
//! rollout status as `kubectl rollout status` words it, the update strategy with
//! its fenceposts resolved, and a diff between two revisions' pod templates.

pub mod diff;
pub mod history;
pub mod status;
pub mod undo;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use crate::cluster::{Kind, Stores};

use super::age::age_since;
use super::doc::{Cell, Doc, ObjectRef, Span};
use super::table::Tone;
use diff::{DiffLine, template_yaml, unified_diff};
use history::{Revision, revisions};
use status::{daemon_set_status, deployment_status, resolve_fenceposts, stateful_set_status};

/// A workload with a rollout history.
#[derive(Debug, Clone, Copy)]
pub enum Workload<'a> {
    Deployment(&'a Deployment),
    StatefulSet(&'a StatefulSet),
    DaemonSet(&'a DaemonSet),
}

impl Workload<'_> {
    /// The workload's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Workload::Deployment(d) => &d.metadata,
            Workload::StatefulSet(s) => &s.metadata,
            Workload::DaemonSet(d) => &d.metadata,
        }
    }

    /// The cache kind.
    pub fn kind(&self) -> Kind {
        match self {
            Workload::Deployment(_) => Kind::Deployment,
            Workload::StatefulSet(_) => Kind::StatefulSet,
            Workload::DaemonSet(_) => Kind::DaemonSet,
        }
    }

    /// The current pod template as JSON.
    pub fn template(&self) -> Value {
        let template = match self {
            Workload::Deployment(d) => serde_json::to_value(&d.spec.template),
            Workload::StatefulSet(s) => serde_json::to_value(&s.spec.template),
            Workload::DaemonSet(d) => serde_json::to_value(&d.spec.template),
        };
        template.unwrap_or(Value::Null)
    }
}

fn condition_rows(
    conditions: Vec<ConditionRow>,
    now: Timestamp,
) -> Vec<(Vec<Cell>, Option<ObjectRef>)> {
    conditions
        .into_iter()
        .map(|(type_, status, reason, message, at)| {
            let tone = if status == "True" {
                Tone::Good
            } else {
                Tone::Bad
            };
            (
                vec![
                    (type_, Tone::Normal),
                    (status, tone),
                    (reason, Tone::Normal),
                    (age_since(at, now), Tone::Normal),
                    (message, Tone::Muted),
                ],
                None,
            )
        })
        .collect()
}

fn status_section(doc: &mut Doc, workload: Workload<'_>, now: Timestamp) {
    doc.heading("Status");
    let (message, tone) = match match workload {
        Workload::Deployment(d) => deployment_status(d),
        Workload::StatefulSet(s) => stateful_set_status(s),
        Workload::DaemonSet(d) => daemon_set_status(d),
    } {
        Ok((message, true)) => (message, Tone::Good),
        Ok((message, false)) => (message, Tone::Progressing),
        Err(message) => (format!("error: {message}"), Tone::Bad),
    };
    doc.text(message, tone);
    let n = |v: Option<i32>| (v.unwrap_or(0).to_string(), Tone::Normal);
    let mut conditions = Vec::new();
    match workload {
        Workload::Deployment(d) => {
            let status = d.status.clone().unwrap_or_default();
            let desired = d.spec.replicas.unwrap_or(1);
            doc.fields(&[
                ("Desired", (desired.to_string(), Tone::Normal)),
                ("Updated", n(status.updated_replicas)),
                ("Ready", n(status.ready_replicas)),
                ("Available", n(status.available_replicas)),
                ("Total", n(status.replicas)),
                ("Strategy", deployment_strategy(d, desired)),
            ]);
            for c in status.conditions.iter().flatten() {
                conditions.push((
                    c.type_.clone().unwrap_or_default(),
                    c.status.clone().unwrap_or_default(),
                    c.reason.clone().unwrap_or_default(),
                    c.message.clone().unwrap_or_default(),
                    c.last_update_time
                        .as_ref()
                        .or(c.last_transition_time.as_ref())
                        .map(|t| t.0),
                ));
            }
        }
        Workload::StatefulSet(s) => {
            let status = s.status.clone().unwrap_or_default();
            let spec = &s.spec;
            doc.fields(&[
                (
                    "Desired",
                    (spec.replicas.unwrap_or(1).to_string(), Tone::Normal),
                ),
                ("Current", n(status.current_replicas)),
                ("Updated", n(status.updated_replicas)),
                ("Ready", n(status.ready_replicas)),
                ("Available", n(status.available_replicas)),
                (
                    "Current revision",
                    (
                        status.current_revision.clone().unwrap_or_default(),
                        Tone::Normal,
                    ),
                ),
                (
                    "Update revision",
                    (
                        status.update_revision.clone().unwrap_or_default(),
                        Tone::Normal,
                    ),
                ),
            ]);
            push_conditions(
                &mut conditions,
                status.conditions.iter().flatten().map(|c| {
                    (
                        &c.type_,
                        &c.status,
                        &c.reason,
                        &c.message,
                        c.last_transition_time.as_ref().map(|t| t.0),
                    )
                }),
            );
            let strategy = spec.update_strategy.as_ref();
            let mut text = strategy
                .and_then(|s| s.type_.clone())
                .unwrap_or_else(|| "RollingUpdate".into());
            if let Some(rolling) = strategy.and_then(|s| s.rolling_update.as_ref()) {
                text.push_str(&format!(", partition {}", rolling.partition.unwrap_or(0)));
            }
            doc.fields(&[("Strategy", (text, Tone::Normal))]);
        }
        Workload::DaemonSet(d) => {
            let status = d.status.clone().unwrap_or_default();
            doc.fields(&[
                (
                    "Desired",
                    (status.desired_number_scheduled.to_string(), Tone::Normal),
                ),
                (
                    "Current",
                    (status.current_number_scheduled.to_string(), Tone::Normal),
                ),
                ("Updated", n(status.updated_number_scheduled)),
                ("Ready", (status.number_ready.to_string(), Tone::Normal)),
                ("Available", n(status.number_available)),
            ]);
            push_conditions(
                &mut conditions,
                status.conditions.iter().flatten().map(|c| {
                    (
                        &c.type_,
                        &c.status,
                        &c.reason,
                        &c.message,
                        c.last_transition_time.as_ref().map(|t| t.0),
                    )
                }),
            );
            let strategy = d.spec.update_strategy.as_ref();
            let mut text = strategy
                .and_then(|s| s.type_.clone())
                .unwrap_or_else(|| "RollingUpdate".into());
            if let Some(rolling) = strategy.and_then(|s| s.rolling_update.as_ref()) {
                text.push_str(&format!(
                    ", maxSurge {}, maxUnavailable {}",
                    raw_int_or_string(rolling.max_surge.as_ref(), "0"),
                    raw_int_or_string(rolling.max_unavailable.as_ref(), "1")
                ));
            }
            doc.fields(&[("Strategy", (text, Tone::Normal))]);
        }
    }
    if !conditions.is_empty() {
        doc.heading("Conditions");
        doc.table(
            &["TYPE", "STATUS", "REASON", "UPDATED", "MESSAGE"],
            condition_rows(conditions, now),
        );
    }
}

type ConditionRow = (String, String, String, String, Option<Timestamp>);

fn push_conditions<'a>(
    out: &mut Vec<ConditionRow>,
    conditions: impl Iterator<
        Item = (
            &'a Option<String>,
            &'a Option<String>,
            &'a Option<String>,
            &'a Option<String>,
            Option<Timestamp>,
        ),
    >,
) {
    for (type_, status, reason, message, at) in conditions {
        out.push((
            type_.clone().unwrap_or_default(),
            status.clone().unwrap_or_default(),
            reason.clone().unwrap_or_default(),
            message.clone().unwrap_or_default(),
            at,
        ));
    }
}

/// The strategy with maxSurge/maxUnavailable as written and as resolved.
fn deployment_strategy(d: &Deployment, desired: i32) -> Cell {
    let strategy = d.spec.strategy.as_ref();
    let type_ = strategy
        .and_then(|s| s.type_.clone())
        .unwrap_or_else(|| "RollingUpdate".into());
    if type_ != "RollingUpdate" {
        return (type_, Tone::Normal);
    }
    let rolling = strategy.and_then(|s| s.rolling_update.as_ref());
    let surge = rolling.and_then(|r| r.max_surge.as_ref());
    let unavailable = rolling.and_then(|r| r.max_unavailable.as_ref());
    match resolve_fenceposts(surge, unavailable, desired) {
        Ok((s, u)) => (
            format!(
                "RollingUpdate, maxSurge {} → {s}, maxUnavailable {} → {u} (of {desired} replicas)",
                raw_int_or_string(surge, "25%"),
                raw_int_or_string(unavailable, "25%")
            ),
            Tone::Normal,
        ),
        Err(e) => (format!("RollingUpdate, {e}"), Tone::Bad),
    }
}

fn raw_int_or_string(value: Option<&IntOrString>, default: &str) -> String {
    match value {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => default.to_string(),
    }
}

fn history_section(doc: &mut Doc, workload: Workload<'_>, revisions: &[Revision], now: Timestamp) {
    doc.heading("History");
    if revisions.is_empty() {
        doc.text("no revisions", Tone::Muted);
        return;
    }
    let namespace = workload.meta().namespace.clone().unwrap_or_default();
    let owner_kind = match workload {
        Workload::Deployment(_) => Kind::ReplicaSet,
        _ => Kind::ControllerRevision,
    };
    let rows = revisions
        .iter()
        .map(|r| {
            let replicas = match r.replicas {
                Some((ready, desired)) => (
                    format!("{ready}/{desired}"),
                    if ready < desired {
                        Tone::Warning
                    } else {
                        Tone::Normal
                    },
                ),
                None => ("-".into(), Tone::Muted),
            };
            (
                vec![
                    (r.number.to_string(), Tone::Normal),
                    if r.current {
                        ("*".into(), Tone::Good)
                    } else {
                        ("".into(), Tone::Normal)
                    },
                    (r.name.clone(), Tone::Normal),
                    replicas,
                    (age_since(r.created, now), Tone::Normal),
                    (r.images.join(","), Tone::Normal),
                    (
                        r.change_cause.clone().unwrap_or_else(|| "<none>".into()),
                        Tone::Muted,
                    ),
                ],
                Some(ObjectRef::new(
                    owner_kind,
                    namespace.clone(),
                    r.name.clone(),
                )),
            )
        })
        .collect();
    doc.table(
        &[
            "REVISION",
            "CURRENT",
            "NAME",
            "READY",
            "AGE",
            "IMAGES",
            "CHANGE-CAUSE",
        ],
        rows,
    );
}

fn diff_section(doc: &mut Doc, revisions: &[Revision], from: i64, to: i64) {
    doc.heading(format!("Diff of revision {from} → {to}"));
    let find = |n: i64| revisions.iter().find(|r| r.number == n);
    let (Some(a), Some(b)) = (find(from), find(to)) else {
        let missing = if find(from).is_none() { from } else { to };
        doc.text(
            format!("unable to find specified revision {missing} in history"),
            Tone::Bad,
        );
        return;
    };
    doc.line(vec![Span::new(
        format!("--- revision {from} ({})", a.name),
        Tone::Bad,
    )]);
    doc.line(vec![Span::new(
        format!("+++ revision {to} ({})", b.name),
        Tone::Good,
    )]);
    let lines = unified_diff(&template_yaml(&a.template), &template_yaml(&b.template));
    if lines.is_empty() {
        doc.text("the pod templates are identical", Tone::Muted);
    }
    for line in lines {
        let (text, tone) = match line {
            DiffLine::Hunk(h) => (h, Tone::Muted),
            DiffLine::Same(s) => (format!(" {s}"), Tone::Normal),
            DiffLine::Removed(s) => (format!("-{s}"), Tone::Bad),
            DiffLine::Added(s) => (format!("+{s}"), Tone::Good),
        };
        doc.text(text, tone);
    }
}

/// The rollout view of `workload`: history, status and strategy, and when
/// `diff` names two revisions, the diff of their pod templates.
pub fn rollout_doc(
    workload: Workload<'_>,
    replica_sets: &[&ReplicaSet],
    controller_revisions: &[&ControllerRevision],
    diff: Option<(i64, i64)>,
    now: Timestamp,
) -> Doc {
    let meta = workload.meta();
    let namespace = meta.namespace.clone().unwrap_or_default();
    let name = meta.name.clone().unwrap_or_default();
    let kind = workload.kind();
    let mut doc = Doc::new(format!("Rollout {}/{namespace}/{name}", kind.name()));
    doc.link(
        vec![Span::new(
            format!("{} {namespace}/{name}", kind.name()),
            Tone::Normal,
        )],
        ObjectRef::new(kind, namespace.clone(), name.clone()),
    );
    let revisions = revisions(workload, replica_sets, controller_revisions);
    history_section(&mut doc, workload, &revisions, now);
    status_section(&mut doc, workload, now);
    if let Some((from, to)) = diff {
        diff_section(&mut doc, &revisions, from, to);
    }
    doc
}

/// [`rollout_doc`] for the cached Deployment, StatefulSet or DaemonSet `target`
/// with the cached ReplicaSets and ControllerRevisions of its namespace; `None`
/// for another kind or an object not cached.
pub fn rollout_doc_in(
    stores: &Stores,
    target: &ObjectRef,
    diff: Option<(i64, i64)>,
    now: Timestamp,
) -> Option<Doc> {
    let in_namespace =
        |meta: &ObjectMeta| meta.namespace.as_deref() == Some(target.namespace.as_str());
    let replica_sets = stores.replica_sets.state();
    let replica_sets: Vec<&ReplicaSet> = replica_sets
        .iter()
        .map(|r| r.as_ref())
        .filter(|r| in_namespace(&r.metadata))
        .collect();
    let revisions = stores.controller_revisions.state();
    let revisions: Vec<&ControllerRevision> = revisions
        .iter()
        .map(|r| r.as_ref())
        .filter(|r| in_namespace(&r.metadata))
        .collect();
    let doc = |workload: Workload| rollout_doc(workload, &replica_sets, &revisions, diff, now);
    let (namespace, name) = (target.namespace.as_str(), target.name.as_str());
    match target.kind {
        Kind::Deployment => {
            let d = stores
                .deployments
                .get(&crate::cluster::key(namespace, name))?;
            Some(doc(Workload::Deployment(&d)))
        }
        Kind::StatefulSet => {
            let s = stores
                .stateful_sets
                .get(&crate::cluster::key(namespace, name))?;
            Some(doc(Workload::StatefulSet(&s)))
        }
        Kind::DaemonSet => {
            let d = stores
                .daemon_sets
                .get(&crate::cluster::key(namespace, name))?;
            Some(doc(Workload::DaemonSet(&d)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
