//! Shared by the `sim_pod_io_*` tests (each includes it with `#[path]`, beside
//! `sim_support.rs`): a small cluster whose pods are in the states the streaming
//! subresources distinguish, served with the clock fixed at 12:00:00Z.
#![allow(dead_code)]

use serde_json::{Value, json};

#[path = "sim_support.rs"]
pub mod support;

use kubesight::sim::Simulator;

pub use support::Running;

/// Nodes `ready-1` (Ready) and `gone-1` (NotReady, its kubelet unreachable), and
/// in `shop`: `web-1` (nginx, running 10 s, restarted once after a crash),
/// `single` (running, never restarted), `multi` (containers `a` and `b`),
/// `sidecars` (`api`, `metrics`, sidecar `log-shipper`, ephemeral `debugger`),
/// `creating` (ContainerCreating) and `lost` (on `gone-1`).
pub fn serve_pods() -> Running {
    let values = vec![
        json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}),
        node("ready-1", "True", "10.0.0.1"),
        node("gone-1", "Unknown", "10.0.0.9"),
        pod(
            "web-1",
            "ready-1",
            json!([{"name":"web","image":"nginx:1.27.1",
                    "ports":[{"containerPort":80,"name":"http"},{"containerPort":8080}],
                    "env":[{"name":"GREETING","value":"hi"},
                           {"name":"SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]),
            json!([{"name":"web","ready":true,"restartCount":1,
                    "state":{"running":{"startedAt":"2026-11-23T11:59:50Z"}},
                    "lastState":{"terminated":{"exitCode":1,"reason":"Error",
                        "startedAt":"2026-11-23T11:59:30Z","finishedAt":"2026-11-23T11:59:35Z"}}}]),
        ),
        pod(
            "single",
            "ready-1",
            json!([{"name":"app","image":"busybox:1.36"}]),
            json!([running("app")]),
        ),
        pod(
            "multi",
            "ready-1",
            json!([{"name":"a","image":"busybox"},{"name":"b","image":"busybox"}]),
            json!([running("a"), running("b")]),
        ),
        {
            // Two containers, a sidecar and a `kubectl debug` container.
            let mut pod = pod(
                "sidecars",
                "ready-1",
                json!([{"name":"api","image":"busybox"},{"name":"metrics","image":"busybox"}]),
                json!([running("api"), running("metrics")]),
            );
            pod["spec"]["initContainers"] = json!([
                {"name":"log-shipper","image":"fluent-bit","restartPolicy":"Always"}]);
            pod["spec"]["ephemeralContainers"] = json!([{"name":"debugger","image":"busybox"}]);
            pod["status"]["initContainerStatuses"] = json!([running("log-shipper")]);
            pod["status"]["ephemeralContainerStatuses"] = json!([running("debugger")]);
            pod
        },
        pod(
            "creating",
            "ready-1",
            json!([{"name":"c","image":"busybox"}]),
            json!([{"name":"c","ready":false,"restartCount":0,
                    "state":{"waiting":{"reason":"ContainerCreating"}}}]),
        ),
        pod(
            "lost",
            "gone-1",
            json!([{"name":"nginx","image":"nginx"}]),
            json!([running("nginx")]),
        ),
    ];
    support::serve(Simulator::from_values(values, support::test_config()))
}

fn node(name: &str, ready: &str, ip: &str) -> Value {
    json!({"apiVersion":"v1","kind":"Node","metadata":{"name":name},
           "status":{"conditions":[{"type":"Ready","status":ready}],
                     "addresses":[{"type":"InternalIP","address":ip}]}})
}

fn running(name: &str) -> Value {
    json!({"name":name,"ready":true,"restartCount":0,
           "state":{"running":{"startedAt":"2026-11-23T11:59:50Z"}}})
}

fn pod(name: &str, node: &str, containers: Value, statuses: Value) -> Value {
    json!({"apiVersion":"v1","kind":"Pod",
           "metadata":{"name":name,"namespace":"shop","uid":format!("uid-{name}")},
           "spec":{"nodeName":node,"containers":containers},
           "status":{"phase":"Running","containerStatuses":statuses}})
}

/// The code and message of a kube-rs API error.
pub fn api_error<T>(result: kube::Result<T>) -> (u16, String) {
    match result {
        Err(kube::Error::Api(status)) => (status.code, status.message.clone()),
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got a success"),
    }
}
