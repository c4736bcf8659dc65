//! Per-node counts for the nodes view.

use std::collections::BTreeSet;
use std::time::Instant;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde_json::json;

use super::*;

fn small_cluster() -> Cluster {
    let mut c = Cluster::with_nodes(&["n1", "n2"]);
    c.daemon_sets.push(daemon_set("kube-system", "agent"));
    let mut ds = pod_json("kube-system", "agent-1", "n1");
    ds["metadata"]["ownerReferences"][0]["kind"] = json!("DaemonSet");
    ds["metadata"]["ownerReferences"][0]["name"] = json!("agent");
    let mut orphan = ds.clone();
    orphan["metadata"]["name"] = json!("agent-old");
    orphan["metadata"]["ownerReferences"][0]["name"] = json!("gone");
    let mut bare = pod_json("default", "debug", "n1");
    bare["metadata"]["ownerReferences"] = json!(null);
    let mut scratch = pod_json("data", "etl", "n1");
    scratch["spec"]["volumes"] = json!([{"name": "tmp", "emptyDir": {}}]);
    let mut mirror = pod_json("kube-system", "etcd-n1", "n1");
    mirror["metadata"]["annotations"] = json!({"kubernetes.io/config.mirror": "x"});
    let mut other = pod_json("other", "x", "n1");
    other["metadata"]["labels"] = json!({"app": "x"});
    c.pods.extend(
        [
            ds,
            orphan,
            bare,
            scratch,
            mirror,
            other,
            pod_json("shop", "web-a", "n1"),
            pod_json("shop", "web-b", "n1"),
            pod_json("shop", "web-c", "n2"),
        ]
        .into_iter()
        .map(pod),
    );
    c.pdbs.push(pdb(
        "shop",
        "web-pdb",
        json!({"minAvailable": 2}),
        (3, 2, 3, 1),
    ));
    c
}

#[test]
fn counts_classify_every_pod_with_default_flags() {
    let c = small_cluster();
    let pods: Vec<&Pod> = c.pods.iter().collect();
    let pdbs: Vec<&PodDisruptionBudget> = c.pdbs.iter().collect();
    let dss: Vec<&DaemonSet> = c.daemon_sets.iter().collect();
    let n1 = drain_counts("n1", &pods, &pdbs, &dss, now());
    assert_eq!(
        n1,
        DrainCounts {
            evictable: 2, // other/x and shop/web-a
            blocked: 1,   // shop/web-b waits for web-a's replacement
            unmanaged: 1,
            emptydir: 1,
            daemonset: 2,
            skipped: 1,
        }
    );
    let n2 = drain_counts("n2", &pods, &pdbs, &dss, now());
    assert_eq!(
        n2,
        DrainCounts {
            evictable: 1,
            ..Default::default()
        }
    );
    let all = drain_counts_by_node(&pods, &pdbs, &dss, now());
    assert_eq!(all.len(), 2);
    assert_eq!(all.get("n1"), Some(&n1));
    assert_eq!(all.get("n2"), Some(&n2));
    assert_eq!(
        drain_counts("n3", &pods, &pdbs, &dss, now()),
        DrainCounts::default()
    );
}

#[test]
fn counts_for_fifty_thousand_pods_stay_fast() {
    let mut objects = crate::synthetic::cluster(50_000, 500, 7, now());
    let mut apps = BTreeSet::new();
    for pod in &mut objects.pods {
        pod.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: "rs".into(),
            uid: "u".into(),
            controller: Some(true),
            ..Default::default()
        }]);
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        let app = pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("app").cloned())
            .unwrap_or_default();
        apps.insert((ns, app));
    }
    let pdbs: Vec<PodDisruptionBudget> = apps
        .iter()
        .map(|(ns, app)| {
            let mut b = pdb(
                ns,
                &format!("{app}-pdb"),
                json!({"maxUnavailable": 1}),
                (10, 9, 10, 1),
            );
            if let Some(spec) = b.spec.as_mut() {
                spec.selector = serde_json::from_value(json!({"matchLabels": {"app": app}})).ok();
            }
            b
        })
        .collect();
    let pods = objects.cached_pods();
    let pods: Vec<&Pod> = pods.iter().collect();
    let pdb_refs: Vec<&PodDisruptionBudget> = pdbs.iter().collect();
    let started = Instant::now();
    let counts = drain_counts_by_node(&pods, &pdb_refs, &[], now());
    let took = started.elapsed();
    let total: usize = counts
        .values()
        .map(|c| c.evictable + c.blocked + c.unmanaged + c.emptydir + c.daemonset + c.skipped)
        .sum();
    assert_eq!(total, 50_000);
    assert_eq!(counts.len(), 500);
    // Each budget allows one disruption per node: every node evicts at most one
    // pod per budget and holds the rest back.
    assert!(
        counts
            .values()
            .all(|c| c.evictable <= pdbs.len() && c.blocked > 0)
    );
    // Well under 100 ms optimised; this bound leaves room for an unoptimised test build.
    assert!(took.as_millis() < 1_000, "took {took:?}");
}
