//! What `kubectl get pods -A` and `kubectl get nodes` print for the demo cluster at
//! its capture instant, cell for cell. The expected values were computed by a
//! separate port of kubectl's printers, not by kubesight.

mod common;

use std::collections::BTreeMap;

use common::{NOW, demo_app};
use kubesight::model::node_rows::{self, node_rows};
use kubesight::model::pod_rows::{self, PodRow};
use kubesight::model::table::TableRow;

/// namespace/name → (READY, STATUS, RESTARTS)
const PODS: &[(&str, &str, &str, &str)] = &[
    ("batch/bulk-import", "0/1", "SchedulingGated", "0"),
    ("batch/migrate-once-86vds", "0/1", "Error", "0"),
    ("batch/report-20261123-2zrbs", "0/1", "Completed", "0"),
    (
        "data/etl-worker-pd9zp8nlhh-cqxzx",
        "0/1",
        "OOMKilled",
        "3 (3m11s ago)",
    ),
    ("data/etl-worker-pd9zp8nlhh-qnh69", "0/1", "Evicted", "0"),
    (
        "data/etl-worker-pd9zp8nlhh-tc4lb",
        "0/1",
        "ContainerCreating",
        "0",
    ),
    ("data/postgres-0", "1/1", "Running", "0"),
    ("data/postgres-1", "1/1", "Running", "0"),
    ("data/postgres-2", "1/1", "Running", "0"),
    ("data/search-gm5t2dq8sd-w7gph", "0/1", "Pending", "0"),
    ("default/debug-shell", "1/1", "Running", "0"),
    ("default/hello-2fcjkv646l-7mx2v", "1/1", "Running", "0"),
    ("default/hello-2fcjkv646l-gsg8k", "1/1", "Running", "0"),
    ("default/hello-2fcjkv646l-xhlwh", "1/1", "Terminating", "0"),
    (
        "kube-system/coredns-b58r7j8lxm-m9g74",
        "1/1",
        "Running",
        "0",
    ),
    (
        "kube-system/coredns-b58r7j8lxm-qnvcl",
        "1/1",
        "Running",
        "0",
    ),
    ("kube-system/etcd-cp-1", "1/1", "Running", "0"),
    ("kube-system/kube-apiserver-cp-1", "1/1", "Running", "0"),
    (
        "kube-system/kube-controller-manager-cp-1",
        "1/1",
        "Running",
        "1 (14d ago)",
    ),
    ("kube-system/kube-scheduler-cp-1", "1/1", "Running", "0"),
    ("kube-system/node-exporter-7j4pl", "1/1", "Running", "0"),
    ("kube-system/node-exporter-cgdwh", "1/1", "Running", "0"),
    ("kube-system/node-exporter-jmx9t", "1/1", "Running", "0"),
    ("kube-system/node-exporter-pwr5k", "1/1", "Running", "0"),
    ("kube-system/node-exporter-wgldj", "1/1", "Running", "0"),
    ("shop/api-xc8k88h8p5-glkvf", "2/2", "Running", "0"),
    ("shop/api-xc8k88h8p5-gr5qs", "2/2", "Running", "0"),
    ("shop/api-xc8k88h8p5-lz6x8", "2/2", "Unknown", "0"),
    ("shop/api-xc8k88h8p5-xxz5s", "2/2", "Running", "0"),
    ("shop/cart-klljm5vv4f-qkcsg", "1/1", "Running", "0"),
    ("shop/cart-vwc6nh4d4t-zgzns", "0/1", "PodInitializing", "0"),
    ("shop/catalog-ds52qfgsqw-jr745", "1/1", "Running", "0"),
    ("shop/catalog-ds52qfgsqw-stqck", "1/1", "Running", "0"),
    (
        "shop/checkout-9nz72hqvt9-6pv9p",
        "0/1",
        "ImagePullBackOff",
        "0",
    ),
    ("shop/checkout-rkdqqgxvcs-hb64g", "1/1", "Running", "0"),
    ("shop/checkout-rkdqqgxvcs-wmjb5", "1/1", "Running", "0"),
    (
        "shop/inventory-5gh77257kk-46kml",
        "0/1",
        "Init:CrashLoopBackOff",
        "6 (107s ago)",
    ),
    ("shop/orders-wmgrk6fqqs-btxtv", "0/1", "Init:0/2", "0"),
    (
        "shop/payments-v5z6r2wb7c-npxvp",
        "0/1",
        "CrashLoopBackOff",
        "7 (5m ago)",
    ),
    (
        "shop/recommender-kztrwh9pgd-cckgx",
        "0/1",
        "ErrImagePull",
        "0",
    ),
    ("shop/web-45dmd5frnr-m9ghv", "1/1", "Running", "0"),
    ("shop/web-45dmd5frnr-sdlsm", "1/1", "Running", "0"),
    ("shop/web-45dmd5frnr-wrwmb", "1/1", "Running", "0"),
];

/// name → (STATUS, ROLES, VERSION)
const NODES: &[(&str, &str, &str, &str)] = &[
    ("cp-1", "Ready", "control-plane", "v1.32.6"),
    ("worker-1", "Ready", "<none>", "v1.32.6"),
    ("worker-2", "Ready,SchedulingDisabled", "<none>", "v1.31.9"),
    ("worker-3", "NotReady", "<none>", "v1.32.6"),
    ("worker-4", "Ready", "worker", "v1.32.6"),
];

#[test]
fn every_demo_pod_reads_as_kubectl_prints_it() {
    let app = demo_app(&[]);
    let now = NOW.parse().unwrap();
    let pods = app.cache.stores.pods.state();
    let ours: BTreeMap<String, (String, String, String)> = pods
        .iter()
        .map(|p| PodRow::new(p.clone()))
        .map(|row| {
            let key = format!("{}/{}", row.namespace(), row.name());
            let cells = (
                row.cell(pod_rows::READY, now).into_owned(),
                row.cell(pod_rows::STATUS, now).into_owned(),
                row.cell(pod_rows::RESTARTS, now).into_owned(),
            );
            (key, cells)
        })
        .collect();
    let expected: BTreeMap<String, (String, String, String)> = PODS
        .iter()
        .map(|(k, r, s, x)| (k.to_string(), (r.to_string(), s.to_string(), x.to_string())))
        .collect();
    assert_eq!(ours, expected);
}

#[test]
fn the_demo_covers_every_state_the_issue_lists() {
    let statuses: Vec<&str> = PODS.iter().map(|(_, _, s, _)| *s).collect();
    for required in [
        "Running",
        "Pending",
        "ContainerCreating",
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "Init:0/2",
        "Init:CrashLoopBackOff",
        "PodInitializing",
        "Completed",
        "Error",
        "OOMKilled",
        "Terminating",
        "Evicted",
        "Unknown",
        "SchedulingGated",
    ] {
        assert!(
            statuses.contains(&required),
            "the demo has no {required} pod"
        );
    }
}

#[test]
fn every_demo_node_reads_as_kubectl_prints_it() {
    let app = demo_app(&[]);
    let now = NOW.parse().unwrap();
    let nodes = app.cache.stores.nodes.state();
    let pods = app.cache.stores.pods.state();
    let mut ours: Vec<(String, String, String, String)> = node_rows(nodes.iter(), &pods, &Default::default())
        .iter()
        .map(|row| {
            (
                row.name().to_string(),
                row.cell(node_rows::STATUS, now).into_owned(),
                row.cell(node_rows::ROLES, now).into_owned(),
                row.cell(node_rows::VERSION, now).into_owned(),
            )
        })
        .collect();
    ours.sort();
    let expected: Vec<(String, String, String, String)> = NODES
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(ours, expected);
}
