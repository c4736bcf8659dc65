//! kubectl's filters, one case at a time, in kubectl's order.

use serde_json::json;

use super::*;
use crate::selector::parse;

fn ds_pod(name: &str, ds: &str) -> Value {
    let mut v = pod_json("kube-system", name, "n1");
    v["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "DaemonSet",
        "name": ds, "uid": "u", "controller": true}]);
    v
}

fn bare(name: &str) -> Value {
    let mut v = pod_json("default", name, "n1");
    v["metadata"]["ownerReferences"] = json!(null);
    v
}

fn with_emptydir(mut v: Value, volumes: &[&str]) -> Value {
    v["spec"]["volumes"] = volumes
        .iter()
        .map(|n| json!({"name": n, "emptyDir": {}}))
        .chain([json!({"name": "cfg", "configMap": {"name": "x"}})])
        .collect();
    v
}

fn all_flags() -> DrainOptions {
    DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        force: true,
        ..Default::default()
    }
}

#[test]
fn defaults_are_kubectls() {
    let o = DrainOptions::default();
    assert!(!o.ignore_daemonsets && !o.delete_emptydir_data && !o.force && !o.disable_eviction);
    assert_eq!(
        (o.grace_period, o.timeout, o.skip_wait_for_delete_timeout),
        (None, None, 0)
    );
    assert_eq!(o.dry_run, DryRun::None);
    assert!(o.pod_selector.is_none());
    assert!(o.flags().is_empty());
    let o = DrainOptions {
        grace_period: Some(30),
        timeout: Some(std::time::Duration::from_secs(330)),
        pod_selector: Some(parse("app=web,tier!=db").expect("selector")),
        dry_run: DryRun::Server,
        skip_wait_for_delete_timeout: 60,
        disable_eviction: true,
        ..all_flags()
    };
    assert_eq!(
        o.flags().join(" "),
        "--ignore-daemonsets --delete-emptydir-data --force --grace-period=30 --timeout=5m30s \
         --pod-selector=app=web,tier!=db --disable-eviction --skip-wait-for-delete-timeout=60 --dry-run=server"
    );
}

#[test]
fn daemonset_pods_are_refused_without_ignore_daemonsets() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.daemon_sets.push(daemon_set("kube-system", "agent"));
    c.pods.push(pod(ds_pod("agent-x", "agent")));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        ["agent-x Refused | DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"]
    );
    assert_eq!(plan.pods[0].kubectl_status, KubectlStatus::Error);
    assert_eq!(
        plan.nodes[0].kubectl_error().as_deref(),
        Some(
            "error: unable to drain node \"n1\" due to error: cannot delete DaemonSet-managed Pods \
             (use --ignore-daemonsets to ignore): kube-system/agent-x, continuing command..."
        )
    );
    assert_eq!(plan.summary.outcome, Outcome::Refused);

    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            ignore_daemonsets: true,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        ["agent-x Skip | DaemonSet-managed: ignored (--ignore-daemonsets)"]
    );
    assert_eq!(plan.pods[0].kubectl_status, KubectlStatus::Warning);
    assert_eq!(
        plan.nodes[0].warning.as_deref(),
        Some("ignoring DaemonSet-managed Pods: kube-system/agent-x")
    );
    assert_eq!(plan.summary.outcome, Outcome::Completes);
}

#[test]
fn orphaned_daemonset_pods_need_force_and_their_warning_is_dropped() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(pod(ds_pod("agent-x", "gone")));
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            ignore_daemonsets: true,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        [
            "agent-x Refused | orphaned DaemonSet pod: daemonsets.apps \"gone\" not found (use --force to delete it)"
        ]
    );
    assert_eq!(
        plan.nodes[0].errors,
        ["cannot delete daemonsets.apps \"gone\" not found: kube-system/agent-x"]
    );
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            force: true,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        [
            "agent-x Evict | orphaned DaemonSet pod (daemonsets.apps \"gone\" not found): deleted (--force); \
          no PodDisruptionBudget selects it"
        ]
    );
    // unreplicatedFilter runs last and says Okay: kubectl prints no warning.
    assert_eq!(plan.pods[0].kubectl_status, KubectlStatus::Okay);
    assert_eq!(plan.nodes[0].warning, None);
}

#[test]
fn finished_pods_always_go() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut ds = ds_pod("agent-done", "agent");
    ds["status"]["phase"] = json!("Succeeded");
    c.daemon_sets.push(daemon_set("kube-system", "agent"));
    c.pods.push(pod(ds));
    let mut b = with_emptydir(bare("job-done"), &["tmp"]);
    b["status"]["phase"] = json!("Failed");
    c.pods.push(pod(b));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "job-done Evict | Failed: the eviction deletes it without consulting budgets",
            "agent-done Evict | Succeeded: the eviction deletes it without consulting budgets",
        ]
    );
    assert_eq!(plan.summary.outcome, Outcome::Completes);
}

#[test]
fn mirror_pods_are_skipped_before_local_storage_is_looked_at() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut v = with_emptydir(bare("etcd-n1"), &["data"]);
    v["metadata"]["annotations"] = json!({"kubernetes.io/config.mirror": "abc"});
    c.pods.push(pod(v));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        ["etcd-n1 Skip | mirror pod of a static pod: the kubelet owns it"]
    );
    assert_eq!(plan.pods[0].kubectl_status, KubectlStatus::Skip);
    assert_eq!(plan.summary.outcome, Outcome::Completes);
}

#[test]
fn emptydir_pods_need_delete_emptydir_data_and_are_named() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(pod(with_emptydir(
        pod_json("shop", "web-a", "n1"),
        &["cache", "run"],
    )));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "web-a Refused | Pods with local storage (use --delete-emptydir-data to override): emptyDir cache, run"
        ]
    );
    assert_eq!(plan.pods[0].emptydir_volumes, ["cache", "run"]);
    assert_eq!(
        plan.nodes[0].errors,
        [
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): shop/web-a"
        ]
    );
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            delete_emptydir_data: true,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        [
            "web-a Evict | emptyDir data is deleted: cache, run (--delete-emptydir-data); no PodDisruptionBudget selects it"
        ]
    );
    // The local-storage warning is overwritten by unreplicatedFilter's Okay.
    assert_eq!(plan.nodes[0].warning, None);
}

#[test]
fn pods_without_controller_need_force() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(pod(bare("debug")));
    c.pods.push(pod(with_emptydir(bare("scratch"), &["tmp"])));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    // The emptyDir filter comes first and stops the second pod there.
    assert_eq!(
        rows(&plan),
        [
            "debug Refused | Pods that declare no controller (use --force to override)",
            "scratch Refused | Pods with local storage (use --delete-emptydir-data to override): emptyDir tmp",
        ]
    );
    assert_eq!(
        plan.nodes[0].kubectl_error().as_deref(),
        Some(
            "error: unable to drain node \"n1\" due to error: [cannot delete Pods that declare no controller \
             (use --force to override): default/debug, cannot delete Pods with local storage \
             (use --delete-emptydir-data to override): default/scratch], continuing command..."
        )
    );
    let plan = c.plan(&["n1"], &all_flags());
    assert_eq!(
        rows(&plan),
        [
            "debug Evict | no controller: deleted for good, nothing recreates it (--force); no PodDisruptionBudget selects it",
            "scratch Evict | emptyDir data is deleted: tmp (--delete-emptydir-data); no controller: deleted for good, \
             nothing recreates it (--force); no PodDisruptionBudget selects it",
        ]
    );
    assert_eq!(
        plan.nodes[0].warning.as_deref(),
        Some("deleting Pods that declare no controller: default/debug, default/scratch")
    );
}

#[test]
fn only_an_apps_v1_daemonset_counts_as_one() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut v = ds_pod("legacy-x", "legacy");
    v["metadata"]["ownerReferences"][0]["apiVersion"] = json!("extensions/v1beta1");
    c.pods.push(pod(v));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        ["legacy-x Evict | no PodDisruptionBudget selects it"]
    );
    assert_eq!(plan.pods[0].controller.as_deref(), Some("DaemonSet/legacy"));
}

#[test]
fn durations_print_like_go() {
    use std::time::Duration;
    assert_eq!(options::go_duration(Duration::from_secs(45)), "45s");
    assert_eq!(options::go_duration(Duration::from_secs(300)), "5m0s");
    assert_eq!(options::go_duration(Duration::from_secs(3723)), "1h2m3s");
}

#[test]
fn daemonset_filter_comes_before_local_storage() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.daemon_sets.push(daemon_set("kube-system", "agent"));
    c.pods
        .push(pod(with_emptydir(ds_pod("agent-x", "agent"), &["run"])));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        ["agent-x Refused | DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"]
    );
}

#[test]
fn terminating_pods_are_skipped_only_past_skip_wait_for_delete_timeout() {
    let mut c = Cluster::with_nodes(&["n1"]);
    let mut old = pod_json("shop", "old", "n1");
    old["metadata"]["deletionTimestamp"] = json!("2026-11-23T11:58:00Z");
    let mut fresh = pod_json("shop", "fresh", "n1");
    fresh["metadata"]["deletionTimestamp"] = json!("2026-11-23T11:59:30Z");
    c.pods.extend([pod(old), pod(fresh)]);
    // kubectl's default timeout 0 never skips: both are evicted, budgets unasked.
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        rows(&plan),
        [
            "fresh Evict | already terminating: the eviction deletes it without consulting budgets",
            "old Evict | already terminating: the eviction deletes it without consulting budgets",
        ]
    );
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            skip_wait_for_delete_timeout: 60,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        [
            "fresh Evict | already terminating: the eviction deletes it without consulting budgets",
            "old Skip | terminating for more than 60s (--skip-wait-for-delete-timeout)",
        ]
    );
    // Exactly 120 whole seconds is not *more* than 120.
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            skip_wait_for_delete_timeout: 120,
            ..Default::default()
        },
    );
    assert_eq!(plan.pods[1].verdict, Verdict::Evict);
}

#[test]
fn the_pod_selector_leaves_other_pods_out_entirely() {
    let mut c = Cluster::with_nodes(&["n1", "n2"]);
    let mut db = pod_json("data", "db-0", "n1");
    db["metadata"]["labels"] = json!({"app": "db"});
    c.pods.extend([
        pod(db),
        pod(pod_json("shop", "web-a", "n1")),
        pod(pod_json("shop", "web-b", "n2")),
    ]);
    let mut debug = bare("debug");
    debug["metadata"]["labels"] = json!({"app": "debug"});
    c.pods.push(pod(debug));
    let options = DrainOptions {
        pod_selector: Some(parse("app=web").expect("selector")),
        ..Default::default()
    };
    let plan = c.plan(&["n1"], &options);
    assert_eq!(
        rows(&plan),
        ["web-a Evict | no PodDisruptionBudget selects it"]
    );
    assert_eq!(plan.summary.outcome, Outcome::Completes);
}

#[test]
fn disable_eviction_deletes_without_budgets() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.pods.push(pod(pod_json("shop", "web-a", "n1")));
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 1}),
        (1, 1, 1, 0),
    ));
    let plan = c.plan(
        &["n1"],
        &DrainOptions {
            disable_eviction: true,
            ..Default::default()
        },
    );
    assert_eq!(
        rows(&plan),
        ["web-a Evict | deleted, not evicted (--disable-eviction): budgets are not consulted"]
    );
    assert_eq!(plan.pods[0].pdb, None);
}

#[test]
fn a_missing_node_is_refused_like_kubectl() {
    let c = Cluster::with_nodes(&["n1"]);
    let plan = c.plan(&["nope"], &DrainOptions::default());
    assert!(!plan.nodes[0].found);
    assert_eq!(
        plan.nodes[0].kubectl_error().as_deref(),
        Some("Error from server (NotFound): nodes \"nope\" not found")
    );
    assert_eq!(plan.summary.outcome, Outcome::Refused);
    assert_eq!(plan.summary.refused_nodes, 1);
}
