//! Deployments, ReplicaSets, StatefulSets, DaemonSets and ControllerRevisions.

use serde_json::{Value, json};

use super::*;
#[test]
fn deployment_columns_match_recorded_table() {
    let table = recorded("70-table-list-deployments.txt");
    let ours = serde_json::to_value((printer("apps", "Deployment").columns)()).unwrap();
    assert_eq!(ours, table["columnDefinitions"]);
}

#[test]
fn deployment_cells_match_recorded_rows() {
    let table = recorded("70-table-list-deployments.txt");
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        let metadata = &row["object"]["metadata"];
        let replicas = if metadata["name"] == "front" { 2 } else { 1 };
        let object = deployment(metadata, replicas, replicas, replicas, replicas);
        let got = cells("apps", "Deployment", &object, "2026-12-04T05:25:42Z");
        assert_eq!(Value::Array(got), row["cells"]);
    }
}

#[test]
fn deployment_cells_follow_a_scale_up_like_the_recorded_watch() {
    let metadata =
        json!({"name": "front", "creationTimestamp": CREATED, "labels": {"app": "front"}});
    let mid = deployment(&metadata, 3, 2, 3, 2);
    assert_eq!(
        cells("apps", "Deployment", &mid, "2026-12-04T05:25:43Z"),
        [
            json!("front"),
            json!("2/3"),
            json!(3),
            json!(2),
            json!("50s"),
            json!("nginx"),
            json!("nginx:1.27"),
            json!("app=front")
        ]
    );
    let done = deployment(&metadata, 3, 3, 3, 3);
    assert_eq!(
        cells("apps", "Deployment", &done, "2026-12-04T05:25:45Z")[1..5],
        [json!("3/3"), json!(3), json!(3), json!("52s")]
    );
}

#[test]
fn deployment_selector_is_empty_or_invalid_where_others_say_none_or_error() {
    let empty = json!({"metadata": {"name": "d"}, "spec": {"selector": {}}});
    assert_eq!(cells("apps", "Deployment", &empty, CREATED)[7], json!(""));
    assert_eq!(
        cells("apps", "ReplicaSet", &empty, CREATED)[7],
        json!("<none>")
    );
    let bad = json!({"metadata": {"name": "d"}, "spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "Near", "values": ["x"]}]}}});
    assert_eq!(
        cells("apps", "Deployment", &bad, CREATED)[7],
        json!("<invalid>")
    );
    assert_eq!(
        cells("apps", "ReplicaSet", &bad, CREATED)[7],
        json!("<error>")
    );
    let both = json!({"metadata": {"name": "d"}, "spec": {"selector": {
        "matchLabels": {"tier": "web"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "canary", "operator": "DoesNotExist"}
        ]
    }}});
    assert_eq!(
        cells("apps", "Deployment", &both, CREATED)[7],
        json!("!canary,env in (dev,prod),tier=web")
    );
    assert_eq!(
        cells("apps", "DaemonSet", &both, CREATED)[10],
        json!("!canary,env in (dev,prod),tier=web")
    );
}

#[test]
fn replica_set_cells() {
    let rs = json!({
        "metadata": {"name": "front-7d9c8b6f5", "creationTimestamp": CREATED,
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "front", "controller": true}]},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "front", "pod-template-hash": "7d9c8b6f5"}},
                 "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
        "status": {"replicas": 3, "readyReplicas": 1, "availableReplicas": 1}
    });
    assert_eq!(
        cells("apps", "ReplicaSet", &rs, "2026-12-04T08:24:53Z"),
        [
            json!("front-7d9c8b6f5"),
            json!(3),
            json!(3),
            json!(1),
            json!("3h"),
            json!("nginx"),
            json!("nginx:1.27"),
            json!("app=front,pod-template-hash=7d9c8b6f5")
        ]
    );
    // A scaled-down set: no readyReplicas in its status at all.
    let old = json!({"metadata": {"name": "front-old"}, "spec": {"replicas": 0}, "status": {"replicas": 0}});
    assert_eq!(
        cells("apps", "ReplicaSet", &old, CREATED)[1..5],
        [json!(0), json!(0), json!(0), json!("<unknown>")]
    );
}

#[test]
fn stateful_set_cells() {
    assert_eq!(
        shape("apps", "StatefulSet"),
        names(&[
            ("Name", 0),
            ("Ready", 0),
            ("Age", 0),
            ("Containers", 1),
            ("Images", 1)
        ])
    );
    let sts = json!({
        "metadata": {"name": "db", "creationTimestamp": "2026-11-30T05:24:53Z"},
        "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                 "template": {"spec": {"initContainers": [{"name": "init", "image": "busybox"}],
                                       "containers": [{"name": "postgres", "image": "postgres:17"}, {"name": "exporter", "image": "exporter:0.15"}]}}},
        "status": {"replicas": 3, "readyReplicas": 2, "currentReplicas": 3}
    });
    assert_eq!(
        cells("apps", "StatefulSet", &sts, "2026-12-04T05:24:53Z"),
        [
            json!("db"),
            json!("2/3"),
            json!("4d"),
            json!("postgres,exporter"),
            json!("postgres:17,exporter:0.15")
        ]
    );
}

#[test]
fn daemon_set_cells() {
    let columns = (printer("apps", "DaemonSet").columns)();
    let kinds: Vec<ColumnType> = columns.iter().map(|c| c.kind).collect();
    assert_eq!(kinds[1..6], [ColumnType::Integer; 5]);
    assert_eq!(columns[6].name, "Node Selector");
    assert_eq!(columns[6].priority, 0);
    let ds = json!({
        "metadata": {"name": "node-exporter", "creationTimestamp": CREATED},
        "spec": {"selector": {"matchLabels": {"app": "node-exporter"}},
                 "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"},
                                       "containers": [{"name": "exporter", "image": "prom/node-exporter:v1.8.2"}]}}},
        "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                   "updatedNumberScheduled": 3, "numberAvailable": 2, "numberMisscheduled": 0}
    });
    assert_eq!(
        cells("apps", "DaemonSet", &ds, "2026-12-04T05:34:53Z"),
        [
            json!("node-exporter"),
            json!(3),
            json!(3),
            json!(2),
            json!(3),
            json!(2),
            json!("kubernetes.io/arch=amd64,kubernetes.io/os=linux"),
            json!("10m"),
            json!("exporter"),
            json!("prom/node-exporter:v1.8.2"),
            json!("app=node-exporter")
        ]
    );
    let anywhere = json!({"metadata": {"name": "x"}, "spec": {"template": {"spec": {}}}});
    assert_eq!(
        cells("apps", "DaemonSet", &anywhere, CREATED)[6],
        json!("<none>")
    );
}

#[test]
fn node_selector_pairs_sort_as_whole_strings() {
    // Go sorts "k=v" strings: "a.b=2" comes before "a=1" ('.' < '=').
    let ds = json!({"spec": {"template": {"spec": {"nodeSelector": {"a": "1", "a.b": "2"}}}}});
    assert_eq!(
        cells("apps", "DaemonSet", &ds, CREATED)[6],
        json!("a.b=2,a=1")
    );
}

#[test]
fn controller_revision_cells() {
    assert_eq!(
        shape("apps", "ControllerRevision"),
        names(&[("Name", 0), ("Controller", 0), ("Revision", 0), ("Age", 0)])
    );
    let owned = |api_version: &str, kind: &str| {
        json!({
            "metadata": {"name": "web-6c8f9d7b4", "creationTimestamp": CREATED, "ownerReferences": [
                {"apiVersion": "v1", "kind": "Pod", "name": "not-the-controller"},
                {"apiVersion": api_version, "kind": kind, "name": "web", "controller": true}
            ]},
            "revision": 2,
            "data": {}
        })
    };
    assert_eq!(
        cells(
            "apps",
            "ControllerRevision",
            &owned("apps/v1", "StatefulSet"),
            "2026-12-04T05:25:03Z"
        ),
        [
            json!("web-6c8f9d7b4"),
            json!("statefulset.apps/web"),
            json!(2),
            json!("10s")
        ]
    );
    assert_eq!(
        cells("apps", "ControllerRevision", &owned("v1", "Pod"), CREATED)[1],
        json!("pod/web")
    );
    assert_eq!(
        cells("apps", "ControllerRevision", &owned("", ""), CREATED)[1],
        json!("web")
    );
    let orphan = json!({"metadata": {"name": "r", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "ds", "controller": false}]}, "revision": 1});
    assert_eq!(
        cells("apps", "ControllerRevision", &orphan, CREATED)[1..3],
        [json!("<none>"), json!(1)]
    );
}
