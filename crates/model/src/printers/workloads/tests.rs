use jiff::Timestamp;
use serde_json::{Value, json};

use super::PRINTERS;
use super::autoscaling::canonical_quantity;
use crate::printers::tests::recorded;
use crate::printers::{ColumnType, Printer, builtin};

fn printer(group: &str, kind: &str) -> &'static Printer {
    builtin(group, kind).unwrap_or_else(|| panic!("no printer for {group}/{kind}"))
}

fn at(time: &str) -> Timestamp {
    time.parse().unwrap()
}

fn cells(group: &str, kind: &str, object: &Value, now: &str) -> Vec<Value> {
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
fn shape(group: &str, kind: &str) -> Vec<(String, i32)> {
    (printer(group, kind).columns)()
        .into_iter()
        .map(|c| (c.name, c.priority))
        .collect()
}

fn names(list: &[(&str, i32)]) -> Vec<(String, i32)> {
    list.iter().map(|(n, p)| (n.to_string(), *p)).collect()
}

const CREATED: &str = "2026-12-04T05:24:53Z";

fn deployment(metadata: &Value, replicas: i64, ready: i64, updated: i64, available: i64) -> Value {
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

#[test]
fn job_columns_match_recorded_table() {
    let table = recorded("79-table-list-empty-jobs.txt");
    let ours = serde_json::to_value((printer("batch", "Job").columns)()).unwrap();
    assert_eq!(ours, table["columnDefinitions"]);
    assert_eq!(table["rows"], json!([]));
}

fn job(status: Value) -> Value {
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi", "creationTimestamp": CREATED},
        "spec": {
            "completions": 1,
            "parallelism": 1,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "0b5c6f1e-6a1c-4d63-9d58-2f1c3b4a5e6f"}},
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}
        },
        "status": status
    })
}

#[test]
fn job_cells() {
    let complete = job(json!({
        "startTime": "2026-12-04T05:24:53Z",
        "completionTime": "2026-12-04T05:28:05Z",
        "succeeded": 1,
        "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True"},
            {"type": "Complete", "status": "True"}
        ]
    }));
    assert_eq!(
        cells("batch", "Job", &complete, "2026-12-04T07:24:53Z"),
        [
            json!("pi"),
            json!("Complete"),
            json!("1/1"),
            json!("3m12s"),
            json!("120m"),
            json!("pi"),
            json!("perl:5.34.0"),
            json!("batch.kubernetes.io/controller-uid=0b5c6f1e-6a1c-4d63-9d58-2f1c3b4a5e6f")
        ]
    );
    // Still running: the duration runs to now.
    let running = job(json!({"startTime": "2026-12-04T05:24:53Z", "active": 1}));
    assert_eq!(
        cells("batch", "Job", &running, "2026-12-04T05:25:38Z")[1..4],
        [json!("Running"), json!("0/1"), json!("45s")]
    );
    // Not started (e.g. suspended from creation): no duration.
    let pending = job(json!({}));
    assert_eq!(
        cells("batch", "Job", &pending, CREATED)[1..4],
        [json!("Running"), json!("0/1"), json!("")]
    );
}

#[test]
fn job_status_precedence_is_v1_32s() {
    let status = |conditions: Value, deleting: bool| {
        let mut object = job(json!({"conditions": conditions}));
        if deleting {
            object["metadata"]["deletionTimestamp"] = json!("2026-12-04T05:30:00Z");
        }
        cells("batch", "Job", &object, CREATED)[1].clone()
    };
    let t = |kind: &str| json!({"type": kind, "status": "True"});
    assert_eq!(
        status(json!([t("FailureTarget"), t("Failed")]), true),
        json!("Failed")
    );
    assert_eq!(
        status(json!([t("Failed"), t("Complete")]), false),
        json!("Complete")
    );
    assert_eq!(status(json!([t("Suspended")]), true), json!("Terminating"));
    assert_eq!(status(json!([t("Suspended")]), false), json!("Suspended"));
    assert_eq!(
        status(json!([t("FailureTarget")]), false),
        json!("FailureTarget")
    );
    // v1.32 has no SuccessCriteriaMet status (added in v1.34).
    assert_eq!(
        status(json!([t("SuccessCriteriaMet")]), false),
        json!("Running")
    );
    // A condition that is not True does not count; the first of a type decides.
    assert_eq!(
        status(json!([{"type": "Suspended", "status": "False"}]), false),
        json!("Running")
    );
    assert_eq!(
        status(
            json!([{"type": "Failed", "status": "False"}, t("Failed")]),
            false
        ),
        json!("Running")
    );
}

#[test]
fn job_completions_without_a_completion_count() {
    let mut work_queue = job(json!({"succeeded": 2, "active": 3}));
    work_queue["spec"]
        .as_object_mut()
        .unwrap()
        .remove("completions");
    work_queue["spec"]["parallelism"] = json!(5);
    assert_eq!(
        cells("batch", "Job", &work_queue, CREATED)[2],
        json!("2/1 of 5")
    );
    work_queue["spec"]["parallelism"] = json!(1);
    assert_eq!(cells("batch", "Job", &work_queue, CREATED)[2], json!("2/1"));
    let mut indexed = job(json!({"succeeded": 4}));
    indexed["spec"]["completions"] = json!(10);
    assert_eq!(cells("batch", "Job", &indexed, CREATED)[2], json!("4/10"));
}

#[test]
fn cron_job_cells() {
    assert_eq!(
        shape("batch", "CronJob"),
        names(&[
            ("Name", 0),
            ("Schedule", 0),
            ("Timezone", 0),
            ("Suspend", 0),
            ("Active", 0),
            ("Last Schedule", 0),
            ("Age", 0),
            ("Containers", 1),
            ("Images", 1),
            ("Selector", 1)
        ])
    );
    let columns = (printer("batch", "CronJob").columns)();
    assert_eq!(columns[3].kind, ColumnType::Boolean);
    assert_eq!(columns[4].kind, ColumnType::Integer);
    let cron = json!({
        "metadata": {"name": "backup", "creationTimestamp": "2026-12-01T05:24:53Z"},
        "spec": {
            "schedule": "*/5 * * * *",
            "timeZone": "Europe/Paris",
            "suspend": false,
            "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "backup", "image": "restic/restic:0.17.3"}]}}}}
        },
        "status": {
            "active": [{"kind": "Job", "name": "backup-29000000", "namespace": "default"}],
            "lastScheduleTime": "2026-12-04T05:20:00Z"
        }
    });
    assert_eq!(
        cells("batch", "CronJob", &cron, "2026-12-04T05:24:53Z"),
        [
            json!("backup"),
            json!("*/5 * * * *"),
            json!("Europe/Paris"),
            json!("False"),
            json!(1),
            json!("4m53s"),
            json!("3d"),
            json!("backup"),
            json!("restic/restic:0.17.3"),
            json!("<none>")
        ]
    );
    let never = json!({"metadata": {"name": "n"}, "spec": {"schedule": "@daily", "suspend": true}, "status": {}});
    assert_eq!(
        cells("batch", "CronJob", &never, CREATED)[1..6],
        [
            json!("@daily"),
            json!("<none>"),
            json!("True"),
            json!(0),
            json!("<none>")
        ]
    );
    // printBoolPtr of an unset suspend (the server defaults it to false).
    let unset = json!({"spec": {"schedule": "@daily"}});
    assert_eq!(
        cells("batch", "CronJob", &unset, CREATED)[3],
        json!("<unset>")
    );
}

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
