//! `ops::portforward::Forwards` against the simulator over HTTP, with real TCP
//! clients on the local ports: bytes both ways and their counts, a local port
//! in use, a Service's named targetPort resolved on a ready endpoint pod and
//! re-resolved when that pod is deleted, a Deployment's ready pod, a bare pod's
//! deletion marking the forward Broken and refusing new connections, and
//! `--readonly`.

#[path = "sim_support.rs"]
mod support;

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use kubesight::ops::portforward::{
    ForwardError, ForwardId, ForwardStatus, ForwardTarget, Forwards, Health, RemotePort,
};
use kubesight::ops::{READONLY_REFUSAL, WriteGate};

use support::{Running, client_for, within};

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

fn response(pod: &str) -> String {
    let body = format!("hello from shop/{pod}\n");
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Pods `web-a`, `web-b` (ready, app=web, port `http` 8080), `web-c` (app=web,
/// running but not ready), `db-0` (bare, port `pg` 5432); Service `web` whose
/// port `http` (80) targets the named port `http`; Deployment `web` (app=web).
fn cluster() -> Running {
    let values = vec![
        json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}),
        json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"ready-1"},
               "status":{"conditions":[{"type":"Ready","status":"True"}],
                         "addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}),
        pod("web-a", "web", "http", 8080, true),
        pod("web-b", "web", "http", 8080, true),
        pod("web-c", "web", "http", 8080, false),
        pod("db-0", "db", "pg", 5432, true),
        json!({"apiVersion":"v1","kind":"Service",
               "metadata":{"name":"web","namespace":"shop"},
               "spec":{"clusterIP":"10.96.0.20","selector":{"app":"web"},
                       "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":"http"}]}}),
        json!({"apiVersion":"apps/v1","kind":"Deployment",
               "metadata":{"name":"web","namespace":"shop"},
               "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                       "template":{"metadata":{"labels":{"app":"web"}},
                                   "spec":{"containers":[{"name":"web","image":"nginx"}]}}}}),
    ];
    support::serve_values(values)
}

fn pod(name: &str, app: &str, port_name: &str, port: u16, ready: bool) -> Value {
    let ready = if ready { "True" } else { "False" };
    json!({"apiVersion":"v1","kind":"Pod",
           "metadata":{"name":name,"namespace":"shop","uid":format!("uid-{name}"),"labels":{"app":app}},
           "spec":{"nodeName":"ready-1","containers":[{"name":"main","image":"nginx",
                   "ports":[{"name":port_name,"containerPort":port}]}]},
           "status":{"phase":"Running",
                     "conditions":[{"type":"Ready","status":ready}],
                     "containerStatuses":[{"name":"main","ready":ready == "True","restartCount":0,
                        "state":{"running":{"startedAt":"2026-11-23T11:59:50Z"}}}]}})
}

fn target(kind: &str, name: &str) -> ForwardTarget {
    let (namespace, name) = ("shop".to_string(), name.to_string());
    match kind {
        "pod" => ForwardTarget::Pod { namespace, name },
        "svc" => ForwardTarget::Service { namespace, name },
        _ => ForwardTarget::Deployment { namespace, name },
    }
}

fn status(forwards: &Forwards, id: ForwardId) -> ForwardStatus {
    forwards
        .snapshot()
        .into_iter()
        .find(|f| f.id == id)
        .expect("the forward is listed")
}

/// Waits (bounded) until the forward's status satisfies `done`.
async fn until(
    forwards: &Forwards,
    id: ForwardId,
    done: impl Fn(&ForwardStatus) -> bool,
) -> ForwardStatus {
    within("the forward's state", async {
        loop {
            let current = status(forwards, id);
            if done(&current) {
                return current;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
}

/// One HTTP request through the local port; the answer as text.
async fn ask(port: u16) -> String {
    let mut client = within("connect", TcpStream::connect(("127.0.0.1", port)))
        .await
        .expect("connected");
    within("request", client.write_all(REQUEST))
        .await
        .expect("write");
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 256];
    // The response head and body arrive together; read until the body's end.
    while !bytes.ends_with(b"\n") || !String::from_utf8_lossy(&bytes).contains("hello from") {
        let n = within("response", client.read(&mut buffer))
            .await
            .expect("read");
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn a_pod_forward_carries_bytes_both_ways_and_counts_them() {
    let running = cluster();
    let forwards = Forwards::new();
    let id = forwards
        .start(
            running.client.clone(),
            &WriteGate::new(false),
            target("pod", "db-0"),
            RemotePort::Name("pg".into()),
            None,
        )
        .await
        .expect("a forward");
    let local = status(&forwards, id).local_port;
    assert_ne!(local, 0);
    assert_eq!(ask(local).await, response("db-0"));
    let done = until(&forwards, id, |f| f.open_connections == 0).await;
    assert_eq!(
        done,
        ForwardStatus {
            id,
            local_port: local,
            remote: RemotePort::Name("pg".into()),
            remote_port: Some(5432),
            target: target("pod", "db-0"),
            pod: Some("db-0".into()),
            open_connections: 0,
            total_connections: 1,
            bytes_in: response("db-0").len() as u64,
            bytes_out: REQUEST.len() as u64,
            health: Health::Active,
            started: done.started,
            last_error: None,
        }
    );
    assert!(forwards.stop(id));
    assert!(forwards.snapshot().is_empty());
    assert!(
        TcpStream::connect(("127.0.0.1", local)).await.is_err(),
        "a stopped forward no longer listens"
    );
}

#[tokio::test]
async fn a_local_port_in_use_is_refused_by_number() {
    let running = cluster();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("its address").port();
    let error = Forwards::new()
        .start(
            running.client.clone(),
            &WriteGate::new(false),
            target("pod", "db-0"),
            RemotePort::Number(5432),
            Some(port),
        )
        .await
        .expect_err("the port is taken");
    assert_eq!(error, ForwardError::PortInUse(port));
    assert_eq!(error.to_string(), format!("local port {port} is in use"));
}

#[tokio::test]
async fn a_service_forward_moves_to_another_ready_pod_when_its_pod_is_deleted() {
    let running = cluster();
    let forwards = Forwards::new();
    let id = forwards
        .start(
            running.client.clone(),
            &WriteGate::new(false),
            target("svc", "web"),
            RemotePort::Name("http".into()),
            None,
        )
        .await
        .expect("a forward");
    let first = status(&forwards, id);
    assert_eq!(
        (first.pod.as_deref(), first.remote_port, &first.health),
        (Some("web-a"), Some(8080), &Health::Active)
    );
    assert_eq!(ask(first.local_port).await, response("web-a"));

    running
        .sim
        .delete("pods", "shop", "web-a")
        .expect("deleted");
    // web-c matches the selector but is not ready: web-b is the endpoint.
    let moved = until(&forwards, id, |f| f.pod.as_deref() == Some("web-b")).await;
    assert_eq!(
        (moved.health, moved.remote_port),
        (Health::Active, Some(8080))
    );
    assert_eq!(ask(first.local_port).await, response("web-b"));
    let after = until(&forwards, id, |f| f.open_connections == 0).await;
    assert_eq!(after.total_connections, 2);
    assert_eq!(after.bytes_out, 2 * REQUEST.len() as u64);
    assert_eq!(
        after.bytes_in,
        (response("web-a").len() + response("web-b").len()) as u64
    );

    // With no ready pod left, it keeps looking and says why.
    running
        .sim
        .delete("pods", "shop", "web-b")
        .expect("deleted");
    let waiting = until(&forwards, id, |f| f.health != Health::Active).await;
    assert_eq!(waiting.pod, None);
    let waiting = until(&forwards, id, |f| {
        f.health
            == Health::Reconnecting {
                why: "service web has no ready pod".into(),
            }
    })
    .await;
    assert_eq!(waiting.remote_port, None);
    forwards.stop_all();
}

#[tokio::test]
async fn a_deployment_forward_uses_a_ready_pod_of_its_selector() {
    let running = cluster();
    let forwards = Forwards::new();
    let id = forwards
        .start(
            running.client.clone(),
            &WriteGate::new(false),
            target("deploy", "web"),
            RemotePort::Number(8080),
            None,
        )
        .await
        .expect("a forward");
    let local = status(&forwards, id).local_port;
    assert_eq!(ask(local).await, response("web-a"));
    running
        .sim
        .delete("pods", "shop", "web-a")
        .expect("deleted");
    until(&forwards, id, |f| {
        f.pod.as_deref() == Some("web-b") && f.health == Health::Active
    })
    .await;
    assert_eq!(ask(local).await, response("web-b"));
    forwards.stop_all();
}

#[tokio::test]
async fn a_bare_pod_deleted_breaks_the_forward_and_refuses_connections() {
    let running = cluster();
    let forwards = Forwards::new();
    let id = forwards
        .start(
            running.client.clone(),
            &WriteGate::new(false),
            target("pod", "db-0"),
            RemotePort::Number(5432),
            None,
        )
        .await
        .expect("a forward");
    let local = status(&forwards, id).local_port;
    assert_eq!(ask(local).await, response("db-0"));
    running.sim.delete("pods", "shop", "db-0").expect("deleted");
    let broken = until(&forwards, id, |f| f.health != Health::Active).await;
    assert_eq!(
        broken.health,
        Health::Broken {
            why: "pod db-0 was deleted".into()
        }
    );
    // Still listed (so the user sees why), but no longer listening.
    assert_eq!(forwards.snapshot().len(), 1);
    let refused = TcpStream::connect(("127.0.0.1", local)).await;
    assert_eq!(
        refused.map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionRefused)
    );
}

#[tokio::test]
async fn targets_that_do_not_resolve_say_why_as_kubectl_does() {
    let running = cluster();
    let forwards = Forwards::new();
    let gate = WriteGate::new(false);
    let start = |target: ForwardTarget, remote: RemotePort| {
        forwards.start(running.client.clone(), &gate, target, remote, None)
    };
    let error =
        |result: Result<ForwardId, ForwardError>| result.expect_err("unresolved").to_string();
    assert_eq!(
        error(start(target("svc", "web"), RemotePort::Name("grpc".into())).await),
        "service 'web' does not have a named port 'grpc'"
    );
    assert_eq!(
        error(start(target("svc", "web"), RemotePort::Number(81)).await),
        "service web does not have a service port 81"
    );
    assert_eq!(
        error(start(target("pod", "db-0"), RemotePort::Name("http".into())).await),
        "pod 'db-0' does not have a named port 'http'"
    );
    assert_eq!(
        error(start(target("svc", "nope"), RemotePort::Number(80)).await),
        r#"services "nope" not found"#
    );
    assert!(forwards.snapshot().is_empty());
}

#[tokio::test]
async fn readonly_refuses_before_any_request() {
    // Nothing listens here: any request would fail with a connection error.
    let client = client_for("http://127.0.0.1:9", false);
    let error = Forwards::new()
        .start(
            client,
            &WriteGate::new(true),
            target("pod", "db-0"),
            RemotePort::Number(5432),
            None,
        )
        .await
        .expect_err("readonly");
    assert_eq!(error.to_string(), READONLY_REFUSAL);
}
