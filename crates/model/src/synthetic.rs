//! Generated clusters of any size, deterministic for a seed: the benchmarks' input
//! (and, later, the simulator's `--pods N --nodes M`).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateWaiting, ContainerStatus, Node,
    NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Pod, PodCondition, PodIP, PodSpec,
    PodStatus, ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::cluster::Objects;

/// A small, fast, deterministic generator (SplitMix64); no statistics needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const APPS: &[&str] = &[
    "web", "api", "cart", "search", "auth", "orders", "billing", "mailer", "etl", "cache",
];
const NAMESPACES: &[&str] = &[
    "shop", "data", "platform", "batch", "payments", "edge", "ml", "default",
];

fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

fn node(index: usize, created: Timestamp) -> Node {
    let name = format!("node-{index:04}");
    Node {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            uid: Some(format!("00000000-0000-4000-8000-{index:012}")),
            creation_timestamp: Some(Time(created)),
            labels: Some(BTreeMap::from([
                ("kubernetes.io/hostname".to_string(), name),
                ("node-role.kubernetes.io/worker".to_string(), String::new()),
            ])),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            unschedulable: Some(index % 97 == 3),
            ..Default::default()
        }),
        status: Some(NodeStatus {
            allocatable: Some(quantities(&[
                ("cpu", "16"),
                ("memory", "64Gi"),
                ("pods", "250"),
            ])),
            capacity: Some(quantities(&[
                ("cpu", "16"),
                ("memory", "64Gi"),
                ("pods", "250"),
            ])),
            conditions: Some(vec![NodeCondition {
                type_: "Ready".into(),
                status: if index % 89 == 5 { "Unknown" } else { "True" }.into(),
                ..Default::default()
            }]),
            node_info: Some(NodeSystemInfo {
                kubelet_version: "v1.32.6".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

fn pod(rng: &mut Rng, index: usize, nodes: usize, now: Timestamp) -> Pod {
    let app = APPS[rng.below(APPS.len() as u64) as usize];
    let namespace = NAMESPACES[rng.below(NAMESPACES.len() as u64) as usize];
    let hash = format!("{:010x}", rng.next() & 0xff_ffff_ffff);
    let name = format!("{app}-{hash}-{index:05x}");
    let created = now - SignedDuration::from_secs(rng.below(40 * 86_400) as i64 + 1);
    let crashing = rng.below(50) == 0;
    let state = if crashing {
        ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("CrashLoopBackOff".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    } else {
        ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(Time(created)),
            }),
            ..Default::default()
        }
    };
    let node = format!("node-{:04}", rng.below(nodes as u64));
    Pod {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(namespace.into()),
            uid: Some(format!("10000000-0000-4000-8000-{index:012}")),
            creation_timestamp: Some(Time(created)),
            labels: Some(BTreeMap::from([
                ("app".to_string(), app.to_string()),
                (
                    "tier".to_string(),
                    if index % 3 == 0 {
                        "frontend"
                    } else {
                        "backend"
                    }
                    .to_string(),
                ),
                ("pod-template-hash".to_string(), hash),
            ])),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some(node),
            containers: vec![Container {
                name: app.into(),
                image: Some(format!("registry.example/{app}:1.{}", index % 7)),
                resources: Some(ResourceRequirements {
                    requests: Some(quantities(&[("cpu", "100m"), ("memory", "128Mi")])),
                    limits: Some(quantities(&[("memory", "256Mi")])),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            qos_class: Some("Burstable".into()),
            pod_ips: Some(vec![PodIP {
                ip: format!(
                    "10.{}.{}.{}",
                    64 + index / 65_536 % 64,
                    index / 256 % 256,
                    index % 256
                ),
            }]),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: if crashing { "False" } else { "True" }.into(),
                ..Default::default()
            }]),
            container_statuses: Some(vec![ContainerStatus {
                name: app.into(),
                ready: !crashing,
                restart_count: if crashing {
                    rng.below(40) as i32 + 1
                } else {
                    0
                },
                state: Some(state),
                image: format!("registry.example/{app}"),
                image_id: String::new(),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

/// `pods` pods spread over `nodes` nodes and eight namespaces, ages up to 40 days
/// before `now`; about one pod in fifty is crash-looping.
pub fn cluster(pods: usize, nodes: usize, seed: u64, now: Timestamp) -> Objects {
    let mut rng = Rng(seed);
    let nodes = nodes.max(1);
    let created = now - SignedDuration::from_hours(24 * 60);
    Objects {
        nodes: (0..nodes).map(|i| node(i, created)).collect(),
        pods: (0..pods).map(|i| pod(&mut rng, i, nodes, now)).collect(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_cluster() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let a = cluster(50, 5, 7, now);
        let b = cluster(50, 5, 7, now);
        assert_eq!(a.pods, b.pods);
        assert_eq!(a.nodes.len(), 5);
        let names: std::collections::HashSet<_> =
            a.pods.iter().map(|p| p.metadata.name.clone()).collect();
        assert_eq!(names.len(), 50, "pod names are unique");
    }
}
