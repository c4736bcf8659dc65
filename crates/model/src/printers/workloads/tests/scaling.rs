//! HorizontalPodAutoscalers and their quantities, PodDisruptionBudgets and
//! ReplicationControllers.

use serde_json::{Value, json};

use super::*;
use crate::printers::workloads::autoscaling::canonical_quantity;

fn hpa(metrics: Value, current: Value) -> Value {
    json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "front", "creationTimestamp": CREATED},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "front"},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": metrics
        },
        "status": {"currentReplicas": 3, "desiredReplicas": 3, "currentMetrics": current}
    })
}

fn cpu(utilization: i64) -> Value {
    json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}}})
}

fn targets(object: &Value) -> Value {
    cells("autoscaling", "HorizontalPodAutoscaler", object, CREATED)[2].clone()
}

#[test]
fn hpa_cells() {
    assert_eq!(
        shape("autoscaling", "HorizontalPodAutoscaler"),
        names(&[
            ("Name", 0),
            ("Reference", 0),
            ("Targets", 0),
            ("MinPods", 0),
            ("MaxPods", 0),
            ("Replicas", 0),
            ("Age", 0)
        ])
    );
    let measured = hpa(
        json!([cpu(80)]),
        json!([{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 40, "averageValue": "120m"}}}]),
    );
    assert_eq!(
        cells(
            "autoscaling",
            "HorizontalPodAutoscaler",
            &measured,
            "2026-12-04T05:25:23Z"
        ),
        [
            json!("front"),
            json!("Deployment/front"),
            json!("cpu: 40%/80%"),
            json!("2"),
            json!(10),
            json!(3),
            json!("30s")
        ]
    );
    // Before the first metrics arrive.
    assert_eq!(
        targets(&hpa(json!([cpu(80)]), Value::Null)),
        json!("cpu: <unknown>/80%")
    );
    let mut unset = hpa(json!([]), Value::Null);
    unset["spec"].as_object_mut().unwrap().remove("minReplicas");
    let row = cells("autoscaling", "HorizontalPodAutoscaler", &unset, CREATED);
    assert_eq!(row[2..4], [json!("<none>"), json!("<unset>")]);
}

#[test]
fn hpa_targets_of_every_metric_source() {
    let specs = json!([
        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "1024Mi"}}},
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
    ]);
    let statuses = json!([
        {"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "300Mi"}}},
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "current": {"averageValue": "0.5"}}},
    ]);
    assert_eq!(
        targets(&hpa(specs, statuses)),
        json!("memory: 300Mi/1Gi, 500m/1k")
    );

    let object_and_external = json!([
        {"type": "Object", "object": {"describedObject": {"kind": "Ingress", "name": "main"}, "metric": {"name": "rps"},
                                       "target": {"type": "Value", "value": "10k"}}},
        {"type": "External", "external": {"metric": {"name": "queue"}, "target": {"type": "AverageValue", "averageValue": "30"}}},
    ]);
    let statuses = json!([
        {"type": "Object", "object": {"current": {"value": "2500"}}},
        {"type": "External", "external": {"current": {"averageValue": "12"}}},
    ]);
    assert_eq!(
        targets(&hpa(object_and_external.clone(), statuses)),
        json!("2500/10k, 12/30 (avg)")
    );
    assert_eq!(
        targets(&hpa(object_and_external, json!([]))),
        json!("<unknown>/10k, <unknown>/30 (avg)")
    );

    let container = json!([
        {"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app", "target": {"type": "Utilization"}}},
        {"type": "Custom"},
    ]);
    let statuses = json!([{"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app", "current": {"averageUtilization": 55}}}]);
    assert_eq!(
        targets(&hpa(container, statuses)),
        json!("cpu: 55%/<auto>, <unknown type>")
    );
}

#[test]
fn hpa_targets_show_two_then_a_count() {
    let specs = json!([cpu(80), cpu(70), cpu(60), cpu(50)]);
    // A status at the same index but of another source counts as unknown.
    let statuses = json!([
        {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 12}}},
        {"type": "Pods", "pods": {"current": {"averageValue": "1"}}}
    ]);
    assert_eq!(
        targets(&hpa(specs, statuses)),
        json!("cpu: 12%/80%, cpu: <unknown>/70% + 2 more...")
    );
}

#[test]
fn quantities_print_in_canonical_form() {
    let cases = [
        ("100m", "100m"),
        ("0.5", "500m"),
        ("1.5", "1500m"),
        ("1500m", "1500m"),
        ("2000", "2k"),
        ("1500", "1500"),
        ("1k", "1k"),
        ("1024Mi", "1Gi"),
        ("1536Mi", "1536Mi"),
        ("0.5Gi", "512Mi"),
        ("1.5Ki", "1536"),
        ("512", "512"),
        ("314572800", "314572800"),
        ("0.5Ki", "512"),
        ("1e3", "1e3"),
        ("1.5e3", "1500"),
        ("12e-1", "1200e-3"),
        ("0", "0"),
        ("0Mi", "0"),
        ("1n", "1n"),
        ("0.1n", "1n"),
        ("-250m", "-250m"),
        ("10G", "10G"),
        ("1000E", "1e21"),
    ];
    for (input, want) in cases {
        if want == "1e21" {
            // Past the largest SI suffix: left as written.
            assert_eq!(canonical_quantity(input), None, "{input}");
            continue;
        }
        assert_eq!(canonical_quantity(input).as_deref(), Some(want), "{input}");
    }
    for bad in ["", "abc", "1K", "1.2.3"] {
        assert_eq!(canonical_quantity(bad), None, "{bad:?}");
    }
}

#[test]
fn pod_disruption_budget_cells() {
    let columns = (printer("policy", "PodDisruptionBudget").columns)();
    assert_eq!(
        columns
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect::<Vec<_>>(),
        [
            ("Name", ColumnType::String),
            ("Min Available", ColumnType::String),
            ("Max Unavailable", ColumnType::String),
            ("Allowed Disruptions", ColumnType::Integer),
            ("Age", ColumnType::String),
        ]
    );
    let min = json!({
        "metadata": {"name": "front-pdb", "creationTimestamp": CREATED},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "front"}}},
        "status": {"currentHealthy": 3, "desiredHealthy": 2, "disruptionsAllowed": 1, "expectedPods": 3}
    });
    assert_eq!(
        cells(
            "policy",
            "PodDisruptionBudget",
            &min,
            "2026-12-06T05:24:53Z"
        ),
        [
            json!("front-pdb"),
            json!("2"),
            json!("N/A"),
            json!(1),
            json!("2d")
        ]
    );
    let max =
        json!({"metadata": {"name": "db-pdb"}, "spec": {"maxUnavailable": "25%"}, "status": {}});
    assert_eq!(
        cells("policy", "PodDisruptionBudget", &max, CREATED)[1..4],
        [json!("N/A"), json!("25%"), json!(0)]
    );
}

#[test]
fn replication_controller_cells() {
    assert_eq!(
        shape("", "ReplicationController"),
        names(&[
            ("Name", 0),
            ("Desired", 0),
            ("Current", 0),
            ("Ready", 0),
            ("Age", 0),
            ("Containers", 1),
            ("Images", 1),
            ("Selector", 1)
        ])
    );
    let rc = json!({
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "legacy", "creationTimestamp": CREATED},
        "spec": {"replicas": 3, "selector": {"tier": "web", "app": "legacy"},
                 "template": {"metadata": {"labels": {"app": "legacy", "tier": "web"}},
                              "spec": {"containers": [{"name": "httpd", "image": "httpd:2.4"}]}}},
        "status": {"replicas": 3, "readyReplicas": 3, "availableReplicas": 3}
    });
    assert_eq!(
        cells("", "ReplicationController", &rc, "2026-12-04T05:25:08Z"),
        [
            json!("legacy"),
            json!(3),
            json!(3),
            json!(3),
            json!("15s"),
            json!("httpd"),
            json!("httpd:2.4"),
            json!("app=legacy,tier=web")
        ]
    );
    // No template, no selector.
    let bare = json!({"metadata": {"name": "bare"}, "spec": {"replicas": 0}});
    assert_eq!(
        cells("", "ReplicationController", &bare, CREATED)[5..],
        [json!(""), json!(""), json!("<none>")]
    );
}
