//! A small live cluster for the drain tests: node n1 holding a ReplicaSet's
//! pods (n2 starts cordoned so they all land on n1, then opens for the
//! replacements), controllers running on the wall clock, and helpers to run a
//! drain and collect its events.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use kubesight::cache::pod::Pod;
use serde_json::{Value, json};

use kubesight::clock::Clock;
use kubesight::ops::WriteGate;
use kubesight::ops::drain::{self, DrainEvent, DrainEventKind, DrainJob, PodKey, PodToEvict};
use kubesight::sim::{ControllersHandle, SimConfig, Simulator};

#[path = "sim_support.rs"]
pub mod support;

use support::{Running, namespace, node};

/// Longest a whole drain scenario may take.
pub const SCENARIO: Duration = Duration::from_secs(60);

pub struct Live {
    pub running: Running,
    pub controllers: Option<ControllersHandle>,
}

impl Live {
    pub fn sim(&self) -> &Arc<Simulator> {
        &self.running.sim
    }

    /// Stops the controllers: from now on only our requests change anything.
    pub fn stop_controllers(&mut self) {
        self.controllers = None;
    }
}

/// A ReplicaSet `name` with `replicas` pods labelled `app=name`, each with
/// `grace` seconds of termination grace.
pub fn replica_set(name: &str, replicas: i64, grace: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "shop", "uid": format!("rs-{name}-uid")},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "terminationGracePeriodSeconds": grace,
                    "containers": [{"name": "main", "image": "nginx:1.27"}]
                }
            }
        }
    })
}

/// A policy/v1 PodDisruptionBudget over `app=app`.
pub fn budget(name: &str, app: &str, min_available: i64) -> Value {
    json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"minAvailable": min_available, "selector": {"matchLabels": {"app": app}}}
    })
}

/// Starts the cluster, waits until `ready_pods` pods run Ready on n1, then
/// makes n2 schedulable.
pub async fn live(objects: Vec<Value>, ready_pods: usize) -> Live {
    let mut values = vec![namespace("shop"), node("n1"), node("n2")];
    values[2]["spec"] = json!({"unschedulable": true});
    values.extend(objects);
    let config = SimConfig {
        clock: Clock::System,
        ..support::test_config()
    };
    let running = support::serve(Simulator::from_values(values, config));
    let running = Running {
        client: support::client_for(&running.server.url(), false),
        ..running
    };
    let controllers = Some(
        running
            .sim
            .clone()
            .start_controllers(7, Duration::from_millis(20)),
    );
    let sim = running.sim.clone();
    tokio::time::timeout(SCENARIO, async {
        while ready_on_n1(&sim).len() < ready_pods {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the pods start on n1");
    let mut n2 = sim.get("nodes", "", "n2").expect("n2");
    n2["spec"] = json!({});
    sim.apply(n2).expect("n2 opens");
    Live {
        running,
        controllers,
    }
}

fn typed(pod: &Value) -> Pod {
    serde_json::from_value(pod.clone()).expect("a pod")
}

fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// The Ready pods on n1, sorted by name.
pub fn ready_on_n1(sim: &Simulator) -> Vec<Pod> {
    let mut pods: Vec<Pod> = sim
        .list("pods", Some("shop"))
        .iter()
        .map(typed)
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("n1"))
        .filter(is_ready)
        .collect();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pods
}

/// The pods of n1 labelled `app=app`, as the plan would hand them over.
pub fn to_evict(sim: &Simulator, app: &str) -> Vec<PodToEvict> {
    ready_on_n1(sim)
        .iter()
        .filter(|p| {
            p.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("app"))
                .map(String::as_str)
                == Some(app)
        })
        .filter_map(PodToEvict::from_pod)
        .collect()
}

pub fn job(pods: Vec<PodToEvict>, options: drain::DrainOptions) -> DrainJob {
    DrainJob {
        nodes: vec!["n1".to_string()],
        pods,
        options,
    }
}

/// Runs the drain to its end and returns every event.
pub async fn run(live: &Live, job: DrainJob) -> Vec<DrainEvent> {
    let (handle, mut events) = drain::start(
        live.running.client.clone(),
        WriteGate::new(false),
        Clock::System,
        job,
    )
    .expect("writes are allowed");
    let all = collect(&mut events).await;
    handle.join().await;
    all
}

/// Events until the Summary (inclusive).
pub async fn collect(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<DrainEvent>,
) -> Vec<DrainEvent> {
    let mut all = Vec::new();
    tokio::time::timeout(SCENARIO, async {
        while let Some(event) = events.recv().await {
            let done = matches!(event.kind, DrainEventKind::Summary(_));
            all.push(event);
            if done {
                break;
            }
        }
    })
    .await
    .expect("the drain ends");
    all
}

/// A short name for each event of one pod, in order.
pub fn steps_of(events: &[DrainEvent], pod: &PodKey) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| {
            Some(match &e.kind {
                DrainEventKind::Evicting {
                    pod: p, attempt, ..
                } if p == pod => {
                    format!("evicting#{attempt}")
                }
                DrainEventKind::Deleting { pod: p, .. } if p == pod => "deleting".into(),
                DrainEventKind::Blocked { pod: p, retry, .. } if p == pod => {
                    format!("blocked#{retry}")
                }
                DrainEventKind::Accepted { pod: p, .. } if p == pod => "accepted".into(),
                DrainEventKind::Terminating { pod: p, .. } if p == pod => "terminating".into(),
                DrainEventKind::Gone { pod: p, .. } if p == pod => "gone".into(),
                DrainEventKind::AlreadyGone { pod: p } if p == pod => "already-gone".into(),
                DrainEventKind::Failed { pod: p, .. } if p == pod => "failed".into(),
                DrainEventKind::ReplacementScheduled { pod: p, node, .. } if p == pod => {
                    format!("replacement-on-{node}")
                }
                DrainEventKind::ReplacementReady { pod: p, .. } if p == pod => {
                    "replacement-ready".into()
                }
                _ => return None,
            })
        })
        .collect()
}

/// The final Summary event's data.
pub fn summary(events: &[DrainEvent]) -> drain::DrainSummary {
    match events.last().map(|e| &e.kind) {
        Some(DrainEventKind::Summary(summary)) => summary.clone(),
        other => panic!("the last event is not a Summary: {other:?}"),
    }
}

pub fn key(pod: &PodToEvict) -> PodKey {
    pod.key()
}
