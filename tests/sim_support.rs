//! Shared by the `sim_*` integration tests (each includes it with `#[path]`): a
//! simulator served on 127.0.0.1, a real kube-rs client for it, small hand-made
//! objects, and a time bound for everything that waits on the network.
#![allow(dead_code)]

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::runtime::utils::Backoff;
use serde_json::{Value, json};

use kubesight::cache::Objects;
use kubesight::clock::Clock;
use kubesight::sim::{SimConfig, SimServer, Simulator};

/// Longest any single test step may take; a hang fails instead of blocking CI.
pub const STEP: Duration = Duration::from_secs(20);

/// A simulator on a free loopback port, the server handle, and a client for it.
pub struct Running {
    pub sim: Arc<Simulator>,
    pub server: SimServer,
    pub client: kube::Client,
}

/// Timers short enough for tests; the clock is fixed so created objects are
/// reproducible.
pub fn test_config() -> SimConfig {
    SimConfig {
        bookmark_interval: Duration::from_millis(200),
        too_large_resource_version_wait: Duration::from_millis(200),
        clock: Clock::Fixed("2026-11-23T12:00:00Z".parse().expect("a valid instant")),
        ..SimConfig::default()
    }
}

pub fn serve(sim: Simulator) -> Running {
    let sim = Arc::new(sim);
    let server = sim
        .clone()
        .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .expect("the simulator binds a loopback port");
    let client = client_for(&server.url(), true);
    Running {
        sim,
        server,
        client,
    }
}

pub fn serve_values(values: Vec<Value>) -> Running {
    serve(Simulator::from_values(values, test_config()))
}

pub fn serve_demo() -> Running {
    serve(Simulator::with_config(demo_objects(), test_config()))
}

pub fn demo_objects() -> Objects {
    kubesight::demo::load()
        .expect("the demo cluster loads")
        .objects
}

/// A kube-rs client for `url`; `retry` is kube's default retry of 429/503/504.
pub fn client_for(url: &str, retry: bool) -> kube::Client {
    let mut config = kube::Config::new(url.parse().expect("a valid server URL"));
    config.default_retry = retry;
    kube::Client::try_from(config).expect("a client for the simulator")
}

/// Fails the test if `future` takes longer than [`STEP`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// A pod as JSON, typed, with labels, a node (empty: unscheduled) and a phase.
pub fn pod(namespace: &str, name: &str, labels: &[(&str, &str)], node: &str, phase: &str) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    let mut spec = json!({"containers": [{"name": "main", "image": "nginx:1.27"}]});
    if !node.is_empty() {
        spec["nodeName"] = json!(node);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": spec,
        "status": {"phase": phase},
    })
}

pub fn namespace(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
}

/// A node whose kubelet reports Ready, as every healthy node does.
pub fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
           "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
}

/// The little shop of `wire/`: three web pods in `wire`, spread over two nodes,
/// and a database pod elsewhere.
pub fn shop() -> Vec<Value> {
    vec![
        namespace("wire"),
        namespace("data"),
        node("node-1"),
        node("node-2"),
        pod(
            "wire",
            "web-cbf5d5586-9vs9j",
            &[("app", "web")],
            "node-1",
            "Running",
        ),
        pod(
            "wire",
            "web-cbf5d5586-kgvjw",
            &[("app", "web")],
            "node-2",
            "Running",
        ),
        pod(
            "wire",
            "web-cbf5d5586-lncg4",
            &[("app", "web")],
            "node-1",
            "Pending",
        ),
        pod("data", "db-0", &[("app", "db")], "node-2", "Running"),
    ]
}

pub fn names(pods: &[Pod]) -> Vec<String> {
    pods.iter()
        .map(|p| p.metadata.name.clone().unwrap_or_default())
        .collect()
}

/// `namespace/name` of every pod the simulator holds, in its order.
pub fn stored_pod_keys(sim: &Simulator) -> Vec<String> {
    sim.list("pods", None)
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap_or_default(),
                p["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A watcher backoff short and constant enough for tests.
pub struct QuickBackoff;

impl Iterator for QuickBackoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        Some(Duration::from_millis(50))
    }
}

impl Backoff for QuickBackoff {
    fn reset(&mut self) {}
}

/// The body of a raw response as text.
pub async fn body_text(response: http::Response<kube::client::Body>) -> String {
    use http_body_util::BodyExt;
    let bytes = within("reading a body", response.into_body().collect())
        .await
        .expect("a complete body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("a UTF-8 body")
}

/// A raw GET through the client, whatever the status.
pub async fn raw_get(client: &kube::Client, path: &str) -> http::Response<kube::client::Body> {
    let request = http::Request::get(path)
        .body(kube::client::Body::from(Vec::new()))
        .expect("a valid request");
    within(path, client.send(request))
        .await
        .expect("a response")
}

pub fn content_type(response: &http::Response<kube::client::Body>) -> String {
    response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

pub fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
