use jiff::Timestamp;
use serde_json::{Value, json};

use crate::printers::columns::{ColumnDef, ColumnType};
use crate::printers::tests::recorded;
use crate::printers::{Printer, builtin, default_columns};

fn printer(group: &str, kind: &str) -> &'static Printer {
    builtin(group, kind).unwrap_or_else(|| panic!("a printer for {group}/{kind}"))
}

fn cells(group: &str, kind: &str, object: &Value, now: &str) -> Vec<Value> {
    let now: Timestamp = now.parse().expect("a timestamp");
    let printer = printer(group, kind);
    let row = (printer.row)(object, now);
    assert_eq!(row.len(), (printer.columns)().len(), "one cell per column");
    row
}

fn names(columns: &[ColumnDef]) -> Vec<&str> {
    columns.iter().map(|c| c.name.as_str()).collect()
}

/// The time the Table in `78-table-list-pods.txt` was answered.
const AT_78: &str = "2026-12-04T05:25:47Z";

#[test]
fn pod_columns_are_the_recorded_ones() {
    let table = recorded("78-table-list-pods.txt");
    let want: Vec<ColumnDef> =
        serde_json::from_value(table["columnDefinitions"].clone()).expect("column definitions");
    assert_eq!((printer("", "Pod").columns)(), want);
}

/// A running, ready pod, as `76-list-pods-protobuf.txt` lists those of 78
/// (the same session), cut to the fields the printer reads.
fn running_pod(name: &str, created: &str, node: &str, ip: &str, containers: &[&str]) -> Value {
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| {
            json!({"name": c, "ready": true, "restartCount": 0,
                        "state": {"running": {"startedAt": created}}})
        })
        .collect();
    let conditions = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    .map(|t| json!({"type": t, "status": "True"}));
    json!({
        "metadata": {"name": name, "creationTimestamp": created},
        "spec": {"nodeName": node, "containers": containers.iter().map(|c| json!({"name": c})).collect::<Vec<_>>()},
        "status": {
            "phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
            "conditions": conditions,
            "containerStatuses": statuses
        }
    })
}

#[test]
fn recorded_pods_give_the_recorded_cells() {
    let (earlier, later) = ("2026-12-04T05:24:53Z", "2026-12-04T05:25:43Z");
    let pods = [
        running_pod(
            "front-6df5747967-c2h8s",
            earlier,
            "node-9",
            "10.244.8.107",
            &["nginx"],
        ),
        running_pod(
            "front-6df5747967-hcpxm",
            earlier,
            "node-17",
            "10.244.16.103",
            &["nginx"],
        ),
        running_pod(
            "front-6df5747967-zq8b5",
            later,
            "node-46",
            "10.244.45.106",
            &["nginx"],
        ),
        running_pod(
            "worker-65fcc56fcd-xr9zd",
            earlier,
            "node-26",
            "10.244.25.103",
            &["worker", "proxy"],
        ),
    ];
    let table = recorded("78-table-list-pods.txt");
    let rows = table["rows"].as_array().expect("rows");
    assert_eq!(pods.len(), rows.len());
    for (pod, row) in pods.iter().zip(rows) {
        assert_eq!(Value::Array(cells("", "Pod", pod, AT_78)), row["cells"]);
    }
}

#[test]
fn crash_looping_pod_cells() {
    let pod = json!({
        "metadata": {"name": "api-7d9f", "creationTimestamp": "2026-12-04T05:00:00Z"},
        "spec": {
            "nodeName": "node-3",
            "containers": [{"name": "app"}, {"name": "proxy"}],
            "readinessGates": [{"conditionType": "example.com/lb"}, {"conditionType": "example.com/dns"}]
        },
        "status": {
            "phase": "Running",
            "podIP": "10.244.3.7",
            "podIPs": [{"ip": "10.244.3.7"}],
            "nominatedNodeName": "node-4",
            "conditions": [
                {"type": "Ready", "status": "False"},
                {"type": "example.com/lb", "status": "True"},
                {"type": "example.com/dns", "status": "False"}
            ],
            "containerStatuses": [
                {"name": "app", "image": "app:1", "imageID": "", "ready": false, "restartCount": 5,
                 "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s"}},
                 "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                     "startedAt": "2026-12-04T05:22:40Z", "finishedAt": "2026-12-04T05:22:47Z"}}},
                {"name": "proxy", "image": "envoy", "imageID": "", "ready": true, "restartCount": 0,
                 "state": {"running": {"startedAt": "2026-12-04T05:00:05Z"}}}
            ]
        }
    });
    assert_eq!(
        cells("", "Pod", &pod, AT_78),
        vec![
            json!("api-7d9f"),
            json!("1/2"),
            json!("CrashLoopBackOff"),
            json!("5 (3m ago)"),
            json!("25m"),
            json!("10.244.3.7"),
            json!("node-3"),
            json!("node-4"),
            json!("1/2"),
        ]
    );
}

#[test]
fn pod_cells_match_the_pod_list_logic() {
    // READY, STATUS and RESTARTS are `crate::pod`'s, whatever the pod.
    let pod = json!({
        "metadata": {"name": "p", "deletionTimestamp": "2026-12-04T05:25:00Z"},
        "spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}]},
        "status": {"phase": "Pending", "podIPs": [{"ip": "10.0.0.1"}],
            "initContainerStatuses": [{"name": "init", "image": "i", "imageID": "", "ready": false,
                "restartCount": 2, "state": {"running": {}}}]}
    });
    let now: Timestamp = AT_78.parse().expect("a timestamp");
    let slim: crate::cluster::pod::Pod = serde_json::from_value(pod.clone()).expect("a pod");
    let summary = crate::pod::summarize(&slim);
    let row = cells("", "Pod", &pod, AT_78);
    assert_eq!(
        row[1],
        json!(format!("{}/{}", summary.ready, summary.total))
    );
    assert_eq!(row[2], json!(summary.status));
    assert_eq!(
        row[3],
        json!(crate::pod::format_restarts(
            summary.restarts,
            summary.last_restart,
            now
        ))
    );
    assert_eq!(row[2], json!("Terminating"));
    // No creationTimestamp, no podIP (podIPs alone is not the server's IP),
    // no node, no gates.
    assert_eq!(
        row[4..],
        [
            json!("<unknown>"),
            json!("<none>"),
            json!("<none>"),
            json!("<none>"),
            json!("<none>")
        ]
    );
}

#[test]
fn a_pod_that_does_not_decode_still_has_a_row() {
    let odd = json!({"metadata": {"name": "odd"}, "spec": {"containers": "not a list"}});
    let row = cells("", "Pod", &odd, AT_78);
    assert_eq!(row[0], json!("odd"));
    assert_eq!(row[1], json!("0/0"));
    assert_eq!(cells("", "Pod", &json!(null), AT_78)[0], json!(""));
}

#[test]
fn node_cells() {
    let node = json!({
        "metadata": {"name": "cp-1", "creationTimestamp": "2026-11-24T05:25:47Z", "labels": {
            "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "cp-1"}},
        "spec": {"unschedulable": true},
        "status": {
            "conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
            "addresses": [{"type": "Hostname", "address": "cp-1"}, {"type": "InternalIP", "address": "10.0.0.1"}],
            "nodeInfo": {"kubeletVersion": "v1.32.6", "osImage": "Ubuntu 24.04", "containerRuntimeVersion": "containerd://1.7.2"},
            "capacity": {"cpu": 4}
        }
    });
    assert_eq!(
        cells("", "Node", &node, AT_78),
        vec![
            json!("cp-1"),
            json!("Ready,SchedulingDisabled"),
            json!("control-plane"),
            json!("10d"),
            json!("v1.32.6"),
            json!("10.0.0.1"),
            json!("<none>"),
            json!("Ubuntu 24.04"),
            json!("<unknown>"),
            json!("containerd://1.7.2"),
        ]
    );
    let bare = cells("", "Node", &json!({"metadata": {"name": "n"}}), AT_78);
    assert_eq!(bare[1..3], [json!("Unknown"), json!("<none>")]);
    assert_eq!(bare[4], json!(""));
    let columns = (printer("", "Node").columns)();
    assert_eq!(
        names(&columns),
        [
            "Name",
            "Status",
            "Roles",
            "Age",
            "Version",
            "Internal-IP",
            "External-IP",
            "OS-Image",
            "Kernel-Version",
            "Container-Runtime"
        ]
    );
    assert!(columns[..5].iter().all(|c| c.priority == 0));
    assert!(columns[5..].iter().all(|c| c.priority == 1));
    assert_eq!(
        columns[4].description,
        "Kubelet Version reported by the node."
    );
}

#[test]
fn role_binding_cells() {
    let binding = json!({
        "metadata": {"name": "readers", "namespace": "team", "creationTimestamp": "2026-12-04T05:20:47Z"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [
            {"kind": "User", "name": "ann"},
            {"kind": "ServiceAccount", "name": "bot", "namespace": "ci"},
            {"kind": "Group", "name": "devs"},
            {"kind": "User", "name": "bob"},
            {"kind": "ServiceAccount", "name": "deployer", "namespace": "team"},
            {"kind": "Robot", "name": "r2"}
        ]
    });
    assert_eq!(
        cells(RBAC, "RoleBinding", &binding, AT_78),
        vec![
            json!("readers"),
            json!("Role/reader"),
            json!("5m"),
            json!("ann, bob"),
            json!("devs"),
            json!("ci/bot, team/deployer"),
        ]
    );
    let columns = (printer(RBAC, "RoleBinding").columns)();
    assert_eq!(
        names(&columns),
        ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"]
    );
    assert_eq!(columns[3].priority, 1);
    assert_eq!(columns[3].description, "Users in the roleBinding");
    assert!(
        columns[1]
            .description
            .starts_with("RoleRef can reference a Role")
    );
}

#[test]
fn cluster_role_binding_cells() {
    let binding = json!({
        "metadata": {"name": "admins"},
        "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "Group", "name": "system:masters"}]
    });
    assert_eq!(
        cells(RBAC, "ClusterRoleBinding", &binding, AT_78),
        vec![
            json!("admins"),
            json!("ClusterRole/cluster-admin"),
            json!("<unknown>"),
            json!(""),
            json!("system:masters"),
            json!(""),
        ]
    );
    let columns = (printer(RBAC, "ClusterRoleBinding").columns)();
    assert_eq!(
        columns[5].description,
        "ServiceAccounts in the clusterRoleBinding"
    );
    assert!(
        columns[1]
            .description
            .starts_with("RoleRef can only reference a ClusterRole")
    );
    // No roleRef at all still prints the separator, as Go's Sprintf does.
    assert_eq!(
        cells(RBAC, "ClusterRoleBinding", &json!({}), AT_78)[1],
        json!("/")
    );
}

const RBAC: &str = "rbac.authorization.k8s.io";

#[test]
fn roles_and_crds_get_the_default_table() {
    let crd = recorded("77-get-crd-gizmos.txt");
    let kinds = [
        (RBAC, "Role"),
        (RBAC, "ClusterRole"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ];
    for (group, kind) in kinds {
        let columns = (printer(group, kind).columns)();
        assert_eq!(columns, default_columns());
        assert_eq!(columns[1].name, "Created At");
        assert_eq!(columns[1].kind, ColumnType::Date);
    }
    let crd_kind = "CustomResourceDefinition";
    assert_eq!(
        cells("apiextensions.k8s.io", crd_kind, &crd, AT_78),
        vec![
            json!("gizmos.wire.example.com"),
            json!("2026-12-04T05:24:52Z")
        ]
    );
    // UTC, to the second; Go's zero time without a timestamp.
    let role =
        json!({"metadata": {"name": "r", "creationTimestamp": "2026-12-04T07:24:52.75+02:00"}});
    assert_eq!(
        cells(RBAC, "Role", &role, AT_78)[1],
        json!("2026-12-04T05:24:52Z")
    );
    assert_eq!(
        cells(
            RBAC,
            "ClusterRole",
            &json!({"metadata": {"name": "c"}}),
            AT_78
        ),
        vec![json!("c"), json!("0001-01-01T00:00:00Z")]
    );
}

#[test]
fn api_service_cells() {
    let group = "apiregistration.k8s.io";
    let local = json!({
        "metadata": {"name": "v1.apps", "creationTimestamp": "2026-12-04T05:25:00Z"},
        "spec": {"group": "apps", "version": "v1"},
        "status": {"conditions": [{"type": "Available", "status": "True", "reason": "Local"}]}
    });
    assert_eq!(
        cells(group, "APIService", &local, AT_78),
        vec![
            json!("v1.apps"),
            json!("Local"),
            json!("True"),
            json!("47s")
        ]
    );
    let metrics = json!({
        "metadata": {"name": "v1beta1.metrics.k8s.io"},
        "spec": {"service": {"namespace": "kube-system", "name": "metrics-server", "port": 443}},
        "status": {"conditions": [{"type": "Available", "status": "False", "reason": "MissingEndpoints"}]}
    });
    assert_eq!(
        cells(group, "APIService", &metrics, AT_78)[1..3],
        [
            json!("kube-system/metrics-server"),
            json!("False (MissingEndpoints)")
        ]
    );
    let pending = json!({"metadata": {"name": "x"}, "spec": {"service": null}});
    assert_eq!(
        cells(group, "APIService", &pending, AT_78)[1..3],
        [json!("Local"), json!("Unknown")]
    );
    let columns = (printer(group, "APIService").columns)();
    assert_eq!(names(&columns), ["Name", "Service", "Available", "Age"]);
}
