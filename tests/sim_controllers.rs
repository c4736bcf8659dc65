//! The simulator's controllers, driven pass by pass with explicit instants
//! (`Simulator::reconcile`): a replica replaced, scheduled and started; an
//! eviction finalized under a PodDisruptionBudget; a Deployment rollout; a
//! crash loop's backoff; an unschedulable pod; determinism per seed; and a
//! kube-rs watcher seeing the controllers' work over HTTP.
//!
//! Over 500 lines on purpose: one scenario per controller behaviour, sharing the
//! pass-by-pass fixtures above them.

#[path = "sim_support.rs"]
mod support;

use futures::{StreamExt, TryStreamExt};
use jiff::{SignedDuration, Timestamp};
use kube::api::{Api, EvictParams};
use kube::runtime::watcher::{self, Event, watcher};
use kubesight::cache::pod::Pod;
use serde_json::{Value, json};

use kubesight::model::pod::{format_restarts, summarize};
use kubesight::sim::Simulator;
use support::{demo_objects, namespace, serve_demo, test_config, within};

fn t0() -> Timestamp {
    kubesight::demo::captured_at()
}

fn at(seconds: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(seconds)
}

fn demo() -> Simulator {
    Simulator::with_config(demo_objects(), test_config())
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn int(object: &Value, pointer: &str) -> i64 {
    object
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(-1)
}

fn typed(pod: &Value) -> Pod {
    serde_json::from_value(pod.clone()).expect("a pod")
}

/// The pods a ReplicaSet controls that are not being deleted.
fn live_pods_of(sim: &Simulator, namespace: &str, replica_set: &str) -> Vec<Value> {
    let uid = sim
        .get("replicasets", namespace, replica_set)
        .map(|rs| text(&rs, "/metadata/uid").to_string())
        .expect("the ReplicaSet exists");
    sim.list("pods", Some(namespace))
        .into_iter()
        .filter(|p| text(p, "/metadata/ownerReferences/0/uid") == uid)
        .filter(|p| p.pointer("/metadata/deletionTimestamp").is_none())
        .collect()
}

fn is_ready(pod: &Value) -> bool {
    let summary = summarize(&typed(pod));
    summary.status == "Running" && summary.ready == summary.total
}

fn events_for(sim: &Simulator, object: &str, reason: &str) -> Vec<Value> {
    sim.list("events", None)
        .into_iter()
        .filter(|e| text(e, "/involvedObject/name") == object && text(e, "/reason") == reason)
        .collect()
}

#[test]
fn a_deleted_replica_is_replaced_scheduled_and_started() {
    let sim = demo();
    let before = live_pods_of(&sim, "shop", "web-45dmd5frnr");
    assert_eq!(before.len(), 3);
    let gone = sim
        .delete("pods", "shop", "web-45dmd5frnr-m9ghv")
        .expect("the pod existed");

    sim.reconcile(at(1));
    let after = live_pods_of(&sim, "shop", "web-45dmd5frnr");
    assert_eq!(after.len(), 3, "the ReplicaSet made a replacement");
    let replacement = after
        .iter()
        .find(|p| {
            before
                .iter()
                .all(|b| text(b, "/metadata/name") != text(p, "/metadata/name"))
        })
        .expect("a new pod")
        .clone();
    let name = text(&replacement, "/metadata/name").to_string();
    assert!(name.starts_with("web-45dmd5frnr-") && name.len() == "web-45dmd5frnr-".len() + 5);
    assert_ne!(
        text(&replacement, "/metadata/uid"),
        text(&gone, "/metadata/uid")
    );
    assert_eq!(
        text(&replacement, "/metadata/generateName"),
        "web-45dmd5frnr-"
    );
    assert_eq!(
        replacement["metadata"]["ownerReferences"][0]["controller"],
        json!(true)
    );
    assert_eq!(text(&replacement, "/status/phase"), "Pending");
    assert_eq!(
        events_for(&sim, "web-45dmd5frnr", "SuccessfulCreate").len(),
        1
    );

    sim.reconcile(at(2));
    let bound = sim.get("pods", "shop", &name).expect("still there");
    let node = text(&bound, "/spec/nodeName");
    assert!(
        ["worker-1", "worker-4"].contains(&node),
        "bound to a Ready, schedulable, untainted node, not {node:?}"
    );
    assert_eq!(events_for(&sim, &name, "Scheduled").len(), 1);

    sim.reconcile(at(3));
    let creating = sim.get("pods", "shop", &name).expect("still there");
    assert_eq!(summarize(&typed(&creating)).status, "ContainerCreating");
    assert!(text(&creating, "/status/podIP").starts_with("10.244."));

    sim.reconcile(at(5));
    let running = sim.get("pods", "shop", &name).expect("still there");
    assert!(is_ready(&running), "{:#?}", running["status"]);
    assert_eq!(
        events_for(&sim, &name, "Started").len(),
        running["spec"]["containers"].as_array().map_or(0, Vec::len)
    );
}

#[tokio::test]
async fn an_eviction_is_finalized_and_the_budget_recovers() {
    let running = serve_demo();
    let sim = &running.sim;
    let allowed = || {
        int(
            &sim.get("poddisruptionbudgets", "shop", "web-pdb")
                .expect("the PDB"),
            "/status/disruptionsAllowed",
        )
    };
    sim.reconcile(at(0));
    assert_eq!(allowed(), 1, "3 ready web pods, minAvailable 2");

    // Evict is a subresource kube-rs offers on the full pod type only.
    let pods: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(running.client.clone(), "shop");
    within(
        "an eviction",
        pods.evict("web-45dmd5frnr-m9ghv", &EvictParams::default()),
    )
    .await
    .expect("the eviction is allowed");
    assert_eq!(allowed(), 0, "the eviction consumed the disruption");
    let evicted = sim
        .get("pods", "shop", "web-45dmd5frnr-m9ghv")
        .expect("terminating");
    let deadline: Timestamp = text(&evicted, "/metadata/deletionTimestamp")
        .parse()
        .expect("a deadline");

    sim.reconcile(at(1));
    assert_eq!(allowed(), 0, "two healthy pods left, two needed");
    let evicted = sim
        .get("pods", "shop", "web-45dmd5frnr-m9ghv")
        .expect("still terminating");
    assert_eq!(summarize(&typed(&evicted)).status, "Terminating");
    assert!(!events_for(sim, "web-45dmd5frnr-m9ghv", "Killing").is_empty());

    let mut second = 1;
    while at(second) <= deadline {
        second += 1;
        sim.reconcile(at(second));
    }
    assert!(
        sim.get("pods", "shop", "web-45dmd5frnr-m9ghv").is_none(),
        "finalized after the grace period"
    );
    let pods = live_pods_of(sim, "shop", "web-45dmd5frnr");
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(is_ready));
    assert_eq!(
        allowed(),
        1,
        "the replacement is Ready: one disruption allowed again"
    );
}

#[test]
fn a_new_template_rolls_out_a_new_revision() {
    let sim = demo();
    let mut web = sim
        .get("deployments", "shop", "web")
        .expect("the web Deployment");
    assert_eq!(
        text(
            &web,
            "/metadata/annotations/deployment.kubernetes.io~1revision"
        ),
        "3"
    );
    web["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28.0");
    web["metadata"]["annotations"]["kubernetes.io/change-cause"] =
        json!("kubectl set image deployment/web web=nginx:1.28.0");
    sim.apply(web).expect("the Deployment is updated");

    let mut second = 0;
    let done = loop {
        second += 2;
        sim.reconcile(at(second));
        let old = sim
            .get("replicasets", "shop", "web-45dmd5frnr")
            .expect("the old ReplicaSet");
        let web = sim
            .get("deployments", "shop", "web")
            .expect("the Deployment");
        let settled = int(&old, "/spec/replicas") == 0
            && int(&old, "/status/replicas") == 0
            && int(&web, "/status/updatedReplicas") == 3
            && int(&web, "/status/availableReplicas") == 3;
        if settled || second > 600 {
            break web;
        }
    };
    assert!(second <= 600, "the rollout finished: {:#?}", done["status"]);
    assert_eq!(
        text(
            &done,
            "/metadata/annotations/deployment.kubernetes.io~1revision"
        ),
        "4"
    );
    assert_eq!(int(&done, "/status/unavailableReplicas"), 0);
    assert_eq!(
        int(&done, "/status/observedGeneration"),
        int(&done, "/metadata/generation")
    );
    let progressing = done["status"]["conditions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "Progressing"))
        .expect("a Progressing condition");
    assert_eq!(progressing["reason"], "NewReplicaSetAvailable");

    let new_sets: Vec<Value> = sim
        .list("replicasets", Some("shop"))
        .into_iter()
        .filter(|rs| {
            text(
                rs,
                "/metadata/annotations/deployment.kubernetes.io~1revision",
            ) == "4"
        })
        .collect();
    assert_eq!(new_sets.len(), 1);
    let new = &new_sets[0];
    let hash = text(new, "/metadata/labels/pod-template-hash");
    assert_eq!(text(new, "/metadata/name"), format!("web-{hash}"));
    assert!((8..=10).contains(&hash.len()));
    assert_eq!(
        text(new, "/metadata/annotations/kubernetes.io~1change-cause"),
        "kubectl set image deployment/web web=nginx:1.28.0"
    );
    assert_eq!(int(new, "/spec/replicas"), 3);
    let pods = live_pods_of(&sim, "shop", text(new, "/metadata/name"));
    assert_eq!(pods.len(), 3);
    assert!(
        pods.iter()
            .all(|p| text(p, "/spec/containers/0/image") == "nginx:1.28.0")
    );
    assert!(!events_for(&sim, "web", "ScalingReplicaSet").is_empty());
}

fn ready_node(name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name},
        "spec": {"podCIDR": "10.244.7.0/24"},
        "status": {
            "allocatable": {"cpu": "1", "memory": "1Gi", "pods": "10"},
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    })
}

#[test]
fn a_crash_looping_container_restarts_with_backoff() {
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "crashy", "namespace": "default", "creationTimestamp": "2026-11-23T11:00:00Z"},
        "spec": {"nodeName": "n1", "containers": [{"name": "app", "image": "app:1"}]},
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "False"}],
            "containerStatuses": [{
                "name": "app", "image": "app:1", "ready": false, "restartCount": 1,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-23T12:00:00Z"}},
            }],
        },
    });
    let sim = Simulator::from_values(
        vec![namespace("default"), ready_node("n1"), pod],
        test_config(),
    );
    let restarts = |sim: &Simulator| {
        let pod = sim.get("pods", "default", "crashy").expect("the pod");
        int(&pod, "/status/containerStatuses/0/restartCount")
    };
    sim.reconcile(at(9));
    assert_eq!(restarts(&sim), 1, "still backing off (10 s)");
    sim.reconcile(at(10));
    assert_eq!(restarts(&sim), 2, "restarted after 10 s");
    let pod = sim.get("pods", "default", "crashy").expect("the pod");
    assert!(
        pod.pointer("/status/containerStatuses/0/state/running")
            .is_some()
    );
    sim.reconcile(at(12));
    let pod = sim.get("pods", "default", "crashy").expect("the pod");
    assert_eq!(summarize(&typed(&pod)).status, "CrashLoopBackOff");
    assert_eq!(events_for(&sim, "crashy", "BackOff").len(), 1);
    sim.reconcile(at(29));
    assert_eq!(restarts(&sim), 2, "the second backoff is 20 s");
    sim.reconcile(at(30));
    assert_eq!(restarts(&sim), 3);
    sim.reconcile(at(32));
    sim.reconcile(at(69));
    assert_eq!(restarts(&sim), 3, "the third backoff is 40 s");
    sim.reconcile(at(70));
    assert_eq!(restarts(&sim), 4);

    let pod = sim.get("pods", "default", "crashy").expect("the pod");
    let summary = summarize(&typed(&pod));
    assert_eq!(
        format_restarts(summary.restarts, summary.last_restart, at(75)),
        "4 (5s ago)"
    );
}

#[test]
fn an_unschedulable_pod_says_why() {
    let mut tainted = ready_node("tainted");
    tainted["spec"]["taints"] =
        json!([{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]);
    let mut cordoned = ready_node("cordoned");
    cordoned["spec"]["unschedulable"] = json!(true);
    let mut small = ready_node("small");
    small["metadata"]["labels"] = json!({"disk": "hdd"});
    let mut labelled = ready_node("labelled");
    labelled["metadata"]["labels"] = json!({"disk": "ssd"});
    labelled["status"]["allocatable"]["cpu"] = json!("4");
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "big", "namespace": "default"},
        "spec": {
            "nodeSelector": {"disk": "hdd"},
            "containers": [{"name": "app", "image": "app:1", "resources": {"requests": {"cpu": "2"}}}],
        },
        "status": {"phase": "Pending"},
    });
    let sim = Simulator::from_values(
        vec![
            namespace("default"),
            tainted,
            cordoned,
            small,
            labelled,
            pod,
        ],
        test_config(),
    );
    sim.reconcile(at(1));
    sim.reconcile(at(2));
    let pod = sim.get("pods", "default", "big").expect("the pod");
    assert!(pod.pointer("/spec/nodeName").is_none());
    let scheduled = pod["status"]["conditions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type"] == "PodScheduled"))
        .expect("a PodScheduled condition")
        .clone();
    assert_eq!(scheduled["status"], "False");
    assert_eq!(scheduled["reason"], "Unschedulable");
    assert_eq!(
        scheduled["message"],
        "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, \
         1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. \
         preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, \
         3 Preemption is not helpful for scheduling."
    );
    let failures = events_for(&sim, "big", "FailedScheduling");
    assert_eq!(
        failures.len(),
        1,
        "reported once while the reasons stay the same"
    );
    assert_eq!(failures[0]["type"], "Warning");
    assert_eq!(failures[0]["message"], scheduled["message"]);
}

/// Every object a scripted run leaves: the same passes must leave exactly the
/// same objects, resourceVersions and uids included.
fn run_scenario(seed: u64) -> Vec<Value> {
    let sim = demo();
    sim.delete("pods", "shop", "web-45dmd5frnr-m9ghv");
    sim.delete("pods", "shop", "catalog-ds52qfgsqw-jr745");
    let mut api = sim
        .get("deployments", "shop", "api")
        .expect("the api Deployment");
    api["spec"]["template"]["spec"]["containers"][0]["image"] = json!("api:next");
    sim.apply(api).expect("updated");
    for second in 0..40 {
        sim.reconcile_with_seed(at(second * 3), seed);
    }
    [
        "pods",
        "replicasets",
        "deployments",
        "poddisruptionbudgets",
        "events",
    ]
    .iter()
    .flat_map(|kind| sim.list(kind, None))
    .collect()
}

#[test]
fn the_same_seed_and_steps_give_the_same_cluster() {
    let first = run_scenario(42);
    assert_eq!(first, run_scenario(42));
    let names = |objects: &[Value]| -> Vec<String> {
        objects
            .iter()
            .filter(|o| o["kind"] == "Pod")
            .map(|o| text(o, "/metadata/name").to_string())
            .collect()
    };
    assert_ne!(
        names(&first),
        names(&run_scenario(43)),
        "another seed, other names"
    );
}

#[tokio::test]
async fn a_watcher_sees_the_controllers_work() {
    let running = serve_demo();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let mut events = watcher(pods, watcher::Config::default().labels("app=web")).boxed();
    // The initial list ends with InitDone.
    loop {
        let event = within("the initial list", events.try_next())
            .await
            .expect("no error");
        if matches!(event, Some(Event::InitDone) | None) {
            break;
        }
    }
    running.sim.delete("pods", "shop", "web-45dmd5frnr-m9ghv");
    for second in 1..=6 {
        running.sim.reconcile(at(second));
    }
    let mut added = None;
    let mut running_seen = false;
    while !running_seen {
        let event = within("a change", events.try_next())
            .await
            .expect("no error");
        match event {
            Some(Event::Apply(pod)) => {
                let name = pod.metadata.name.clone().unwrap_or_default();
                if name.starts_with("web-45dmd5frnr-") && name != "web-45dmd5frnr-m9ghv" {
                    let summary = summarize(&pod);
                    if added.is_none() && summary.status == "Pending" {
                        added = Some(name.clone());
                    }
                    running_seen = added.as_ref() == Some(&name) && summary.status == "Running";
                }
            }
            Some(_) => {}
            None => panic!("the watcher ended"),
        }
    }
    assert!(added.is_some(), "the new pod was seen before it ran");
}

#[tokio::test]
async fn started_controllers_run_until_the_handle_is_dropped() {
    let sim = std::sync::Arc::new(demo());
    let handle = sim
        .clone()
        .start_controllers(7, std::time::Duration::from_millis(5));
    sim.delete("pods", "shop", "web-45dmd5frnr-m9ghv");
    within("a replacement", async {
        while live_pods_of(&sim, "shop", "web-45dmd5frnr").len() < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
    .await;
    drop(handle);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    sim.delete("pods", "shop", "web-45dmd5frnr-sdlsm");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        live_pods_of(&sim, "shop", "web-45dmd5frnr").len(),
        2,
        "stopped controllers replace nothing"
    );
}

#[test]
fn a_pod_on_a_lost_node_is_not_finalized_until_the_node_returns() {
    let sim = demo();
    // Long after every grace period in the demo has passed.
    sim.reconcile(at(3600));
    let lost = sim
        .get("pods", "shop", "api-xc8k88h8p5-lz6x8")
        .expect("the NodeLost pod stays");
    assert_eq!(
        summarize(&typed(&lost)).status,
        "Unknown",
        "kubectl keeps showing it Unknown"
    );
    assert!(
        sim.get("pods", "default", "hello-2fcjkv646l-xhlwh")
            .is_none(),
        "a Ready node's kubelet finishes deletions"
    );
}

#[test]
fn a_cordon_brings_the_unschedulable_taint_and_an_uncordon_takes_it_away() {
    let sim = demo();
    let taints = |sim: &Simulator| -> Vec<String> {
        sim.get("nodes", "", "worker-1")
            .and_then(|n| n.pointer("/spec/taints").and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .map(|t| format!("{}:{}", text(t, "/key"), text(t, "/effect")))
            .collect()
    };
    assert_eq!(taints(&sim), Vec::<String>::new());
    let cordon = |on: bool| {
        let mut node = sim.get("nodes", "", "worker-1").expect("worker-1");
        node["spec"]["unschedulable"] = json!(on);
        sim.apply(node).expect("the update applies");
    };
    cordon(true);
    // The patch itself leaves taints alone, as the API server does.
    assert_eq!(taints(&sim), Vec::<String>::new());
    sim.reconcile(at(1));
    assert_eq!(
        taints(&sim),
        ["node.kubernetes.io/unschedulable:NoSchedule"]
    );
    let node = sim.get("nodes", "", "worker-1").expect("worker-1");
    assert_eq!(
        text(&node, "/spec/taints/0/timeAdded"),
        at(1).strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "{node}"
    );
    cordon(false);
    sim.reconcile(at(2));
    assert_eq!(taints(&sim), Vec::<String>::new());
}
