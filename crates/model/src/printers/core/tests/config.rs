//! ResourceQuota, LimitRange, ConfigMap, Secret, ServiceAccount, Namespace,
//! Lease and PriorityClass cells.

use serde_json::{Value, json};

use super::{cells, meta, printer};

#[test]
fn resource_quotas_split_requests_and_limits() {
    let quota = json!({
        "metadata": meta("compute", "2026-12-04T05:00:00Z"),
        "spec": { "hard": { "pods": "10" } },
        "status": {
            "hard": {
                "requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4",
                "limits.memory": "8Gi", "pods": "10", "count/configmaps": "20",
            },
            "used": {
                "requests.cpu": "500m", "requests.memory": "1536Mi", "limits.cpu": "1",
                "limits.memory": "2048Mi", "pods": "3",
            },
        },
    });
    assert_eq!(
        cells("", "ResourceQuota", quota),
        [
            "compute",
            "count/configmaps: 0/20, pods: 3/10, requests.cpu: 500m/2, requests.memory: 1536Mi/4Gi",
            "limits.cpu: 1/4, limits.memory: 2Gi/8Gi",
            "60m"
        ]
    );
    assert_eq!(
        cells(
            "",
            "ResourceQuota",
            json!({ "metadata": meta("new", "2026-12-04T05:00:00Z") })
        ),
        ["new", "", "", "60m"]
    );
}

#[test]
fn limit_ranges_get_the_default_table() {
    let limits = json!({
        "metadata": meta("defaults", "2026-12-01T06:00:00Z"),
        "spec": { "limits": [{ "type": "Container", "default": { "cpu": "500m" } }] },
    });
    assert_eq!(
        cells("", "LimitRange", limits),
        ["defaults", "2026-12-01T06:00:00Z"]
    );
    assert_eq!(
        cells("", "LimitRange", json!({ "metadata": { "name": "bare" } })),
        ["bare", "0001-01-01T00:00:00Z"]
    );
    assert_eq!(
        (printer("", "LimitRange").columns)(),
        crate::printers::default_columns()
    );
}

#[test]
fn config_maps_count_binary_data_and_secrets_only_keys() {
    let config_map = json!({
        "metadata": meta("branding", "2026-12-04T05:00:00Z"),
        "data": { "title": "Shop", "theme": "dark" },
        "binaryData": { "logo.png": "iVBORw0KGgo=" },
    });
    assert_eq!(
        Value::from(cells("", "ConfigMap", config_map)),
        json!(["branding", 3, "60m"])
    );
    let secret = json!({
        "metadata": meta("site-tls", "2026-12-04T05:00:00Z"),
        "type": "kubernetes.io/tls",
        "data": { "tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "c2VjcmV0LWtleQ==" },
    });
    let row = Value::from(cells("", "Secret", secret));
    assert_eq!(row, json!(["site-tls", "kubernetes.io/tls", 2, "60m"]));
    assert!(!row.to_string().contains("c2VjcmV0"));
}

#[test]
fn accounts_namespaces_leases_and_priority_classes() {
    let account = json!({
        "metadata": meta("builder", "2026-12-04T05:00:00Z"),
        "secrets": [{ "name": "builder-token" }, { "name": "builder-dockercfg" }],
    });
    assert_eq!(
        Value::from(cells("", "ServiceAccount", account)),
        json!(["builder", 2, "60m"])
    );
    assert_eq!(
        Value::from(cells(
            "",
            "ServiceAccount",
            json!({ "metadata": meta("default", "2026-12-04T05:00:00Z") })
        )),
        json!(["default", 0, "60m"])
    );

    let namespace = json!({
        "metadata": {
            "name": "shop",
            "creationTimestamp": "2026-10-05T06:00:00Z",
            "deletionTimestamp": "2026-12-04T05:59:00Z",
        },
        "spec": { "finalizers": ["kubernetes"] },
        "status": { "phase": "Terminating" },
    });
    assert_eq!(
        cells("", "Namespace", namespace),
        ["shop", "Terminating", "60d"]
    );

    let lease = json!({
        "metadata": { "name": "kube-scheduler", "namespace": "kube-system", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "spec": { "holderIdentity": "cp-1_6c1d2e", "leaseDurationSeconds": 15, "leaseTransitions": 2 },
    });
    assert_eq!(
        cells("coordination.k8s.io", "Lease", lease),
        ["kube-scheduler", "cp-1_6c1d2e", "60m"]
    );
    assert_eq!(
        cells(
            "coordination.k8s.io",
            "Lease",
            json!({ "metadata": { "name": "free" }, "spec": {} })
        ),
        ["free", "", "<unknown>"]
    );

    let critical = json!({
        "metadata": { "name": "system-cluster-critical", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "value": 2000000000, "globalDefault": false,
        "description": "Used for system critical pods that must run in the cluster.",
        "preemptionPolicy": "PreemptLowerPriority",
    });
    assert_eq!(
        Value::from(cells("scheduling.k8s.io", "PriorityClass", critical)),
        json!([
            "system-cluster-critical",
            2000000000,
            false,
            "60m",
            "PreemptLowerPriority"
        ])
    );
    let low = json!({
        "metadata": { "name": "low", "creationTimestamp": "2026-12-04T05:00:00Z" },
        "value": -10,
        "globalDefault": true,
    });
    assert_eq!(
        Value::from(cells("scheduling.k8s.io", "PriorityClass", low)),
        json!(["low", -10, true, "60m", ""])
    );
}
