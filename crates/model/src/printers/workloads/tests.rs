//! The workload printers against recorded Tables and realistic objects; one
//! file per family of kinds below.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::PRINTERS;
use crate::printers::tests::recorded;
use crate::printers::{ColumnType, Printer, builtin};

pub(super) fn printer(group: &str, kind: &str) -> &'static Printer {
    builtin(group, kind).unwrap_or_else(|| panic!("no printer for {group}/{kind}"))
}

pub(super) fn at(time: &str) -> Timestamp {
    time.parse().unwrap()
}

pub(super) fn cells(group: &str, kind: &str, object: &Value, now: &str) -> Vec<Value> {
    let p = printer(group, kind);
    let cells = (p.row)(object, at(now));
    assert_eq!(
        cells.len(),
        (p.columns)().len(),
        "{kind}: one cell a column"
    );
    cells
}

/// (name, priority) of each column.
pub(super) fn shape(group: &str, kind: &str) -> Vec<(String, i32)> {
    (printer(group, kind).columns)()
        .into_iter()
        .map(|c| (c.name, c.priority))
        .collect()
}

pub(super) fn names(list: &[(&str, i32)]) -> Vec<(String, i32)> {
    list.iter().map(|(n, p)| (n.to_string(), *p)).collect()
}

const CREATED: &str = "2026-12-04T05:24:53Z";

pub(super) fn deployment(
    metadata: &Value,
    replicas: i64,
    ready: i64,
    updated: i64,
    available: i64,
) -> Value {
    let app = metadata["labels"]["app"].as_str().unwrap();
    let containers = if app == "worker" {
        json!([
            {"name": "worker", "image": "busybox:1.36", "command": ["sleep", "infinity"]},
            {"name": "proxy", "image": "envoyproxy/envoy:v1.31.2"}
        ])
    } else {
        json!([{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}])
    };
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}}, "spec": {"containers": containers}}
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": ready,
            "updatedReplicas": updated,
            "availableReplicas": available
        }
    })
}

#[test]
fn every_kind_has_one_printer() {
    let kinds: Vec<(&str, &str)> = PRINTERS.iter().map(|p| (p.group, p.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("apps", "Deployment"),
            ("apps", "ReplicaSet"),
            ("apps", "StatefulSet"),
            ("apps", "DaemonSet"),
            ("apps", "ControllerRevision"),
            ("batch", "Job"),
            ("batch", "CronJob"),
            ("autoscaling", "HorizontalPodAutoscaler"),
            ("policy", "PodDisruptionBudget"),
            ("", "ReplicationController"),
        ]
    );
    for p in PRINTERS {
        let columns = (p.columns)();
        assert_eq!(columns[0].name, "Name", "{}", p.kind);
        assert_eq!(columns[0].format, "name", "{}", p.kind);
        assert!(
            columns.iter().all(|c| !c.description.is_empty()),
            "{}",
            p.kind
        );
    }
}

#[test]
fn empty_and_malformed_objects_never_panic() {
    let now = at("2026-12-04T05:25:42Z");
    let odd = json!({
        "metadata": {"name": 7, "creationTimestamp": "yesterday", "ownerReferences": "x"},
        "spec": {"replicas": "two", "selector": {"matchLabels": "app"}, "template": {"spec": {"containers": [1, {"name": null}]}},
                 "metrics": [{"type": "Resource"}, {"type": "Pods"}, {"type": "Object"}, {"type": "External"}, {"type": "ContainerResource"}, 5]},
        "status": {"conditions": [null], "currentMetrics": "none", "active": {}}
    });
    for p in PRINTERS {
        for object in [json!({}), json!(null), json!([]), odd.clone()] {
            let row = (p.row)(&object, now);
            assert_eq!(row.len(), (p.columns)().len(), "{}", p.kind);
        }
    }
}

mod apps;
mod batch;
mod scaling;
