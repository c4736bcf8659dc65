//! Live drain time: one node with 100 pods (ten ReplicaSets of ten, their
//! termination grace periods 1, 2 or 3 s), no blocking PodDisruptionBudget,
//! the simulator's controllers running on the wall clock so the kubelet honours
//! each grace period. Evictions run concurrently, so the drain should take
//! about the longest grace period, not the sum. Run: `cargo bench --bench drain`
//! (`KUBESIGHT_BENCH_DRAIN_PODS=N` for another size, a multiple of 10).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kubesight::cache::pod::Pod;
use serde_json::{Value, json};

use kubesight::clock::Clock;
use kubesight::ops::WriteGate;
use kubesight::ops::drain::{self, DrainEventKind, DrainJob, DrainOptions, PodToEvict};
use kubesight::sim::{SimConfig, Simulator};

const SETS: usize = 10;

fn objects(pods: usize) -> (Vec<Value>, i64) {
    let mut values = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}}),
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
               "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n2"},
               "spec": {"unschedulable": true},
               "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    ];
    let mut grace_sum = 0;
    for set in 0..SETS {
        let grace = 1 + (set % 3) as i64;
        let replicas = (pods / SETS) as i64;
        grace_sum += grace * replicas;
        let name = format!("app-{set}");
        values.push(json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "bench"},
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
        }));
    }
    (values, grace_sum)
}

fn ready_on_n1(sim: &Simulator) -> Vec<Pod> {
    sim.list("pods", Some("bench"))
        .into_iter()
        .filter_map(|p| serde_json::from_value::<Pod>(p).ok())
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("n1"))
        .filter(|p| {
            p.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        })
        .collect()
}

fn main() {
    let pods: usize = std::env::var("KUBESIGHT_BENCH_DRAIN_PODS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let (values, grace_sum) = objects(pods);
        let config = SimConfig {
            clock: Clock::System,
            ..SimConfig::default()
        };
        let sim = Arc::new(Simulator::from_values(values, config));
        let server = sim
            .clone()
            .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .expect("the simulator binds");
        let _controllers = sim.clone().start_controllers(1, Duration::from_millis(20));
        let settle = Instant::now();
        while ready_on_n1(&sim).len() < pods {
            assert!(settle.elapsed() < Duration::from_secs(120), "pods never started");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut n2 = sim.get("nodes", "", "n2").expect("n2");
        n2["spec"] = json!({});
        sim.apply(n2).expect("n2 opens");

        let mut config = kube::Config::new(server.url().parse().expect("a URL"));
        config.default_retry = false;
        let client = kube::Client::try_from(config).expect("a client");
        let job = DrainJob {
            nodes: vec!["n1".to_string()],
            pods: ready_on_n1(&sim)
                .iter()
                .filter_map(PodToEvict::from_pod)
                .collect(),
            options: DrainOptions::default(),
        };
        let started = Instant::now();
        let (handle, mut events) =
            drain::start(client, WriteGate::new(false), Clock::System, job).expect("allowed");
        let mut drained = None;
        let mut summary = None;
        while let Some(event) = events.recv().await {
            match event.kind {
                DrainEventKind::NodeDrained { .. } => drained = Some(started.elapsed()),
                DrainEventKind::Summary(s) => {
                    summary = Some(s);
                    break;
                }
                _ => {}
            }
        }
        handle.join().await;
        let summary = summary.expect("a summary");
        let drained = drained.expect("n1 drained");
        println!(
            "drain of {pods} pods on one node (grace 1-3 s, sum of graces {grace_sum} s, \
             max_concurrent_evictions {}): node drained after {:.2} s; {} evicted, {} failed, {} remaining",
            DrainOptions::default().max_concurrent_evictions,
            drained.as_secs_f64(),
            summary.evicted,
            summary.failed.len(),
            summary.remaining.len()
        );
    });
}
