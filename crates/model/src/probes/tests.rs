use super::*;
use serde_json::json;

fn container(value: serde_json::Value) -> Container {
    serde_json::from_value(value).expect("a container")
}

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("an instant")
}

#[test]
fn defaults_and_named_ports() {
    let c = container(json!({"name": "web",
        "ports": [{"name": "http", "containerPort": 8080}],
        "livenessProbe": {"httpGet": {"port": "http", "path": "/healthz", "scheme": "HTTPS",
            "host": "10.0.0.1", "httpHeaders": [{"name": "X-Probe", "value": "1"}]}},
        "readinessProbe": {"tcpSocket": {"port": 5432}, "periodSeconds": 3, "timeoutSeconds": 2,
            "successThreshold": 2, "failureThreshold": 5, "initialDelaySeconds": 4},
        "startupProbe": {"grpc": {"port": 9090, "service": "health"}, "terminationGracePeriodSeconds": 5},
    }));
    let probes = container_probes(&c);
    assert_eq!(
        probes[1],
        ProbeSummary {
            kind: ProbeKind::Liveness,
            handler: "http-get https://10.0.0.1:8080/healthz [X-Probe: 1] (port http)".into(),
            initial_delay: 0,
            period: 10,
            timeout: 1,
            success: 1,
            failure: 3,
            termination_grace: None,
            unresolved_port: None,
        }
    );
    assert_eq!(probes[0].kind, ProbeKind::Startup);
    assert_eq!(probes[0].handler, "grpc <pod>:9090 health");
    assert_eq!(probes[0].termination_grace, Some(5));
    assert_eq!(
        (
            probes[2].handler.as_str(),
            probes[2].initial_delay,
            probes[2].period,
            probes[2].timeout,
            probes[2].success,
            probes[2].failure
        ),
        ("tcp-socket :5432", 4, 3, 2, 2, 5)
    );
    assert_eq!(mistakes(&c), Vec::<String>::new());
    let exec = container(json!({"name": "db",
        "livenessProbe": {"exec": {"command": ["pg_isready", "-U", "app"]}}}));
    assert_eq!(
        container_probes(&exec)[0].handler,
        "exec [pg_isready -U app]"
    );
}

#[test]
fn each_mistake_is_flagged() {
    let slow = container(json!({"name": "a",
        "livenessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 120}}));
    assert_eq!(
        mistakes(&slow),
        [
            "liveness waits initialDelaySeconds=120 instead of a startup probe: a slower start is still killed, and every start waits the full delay"
        ]
    );
    let with_startup = container(json!({"name": "a",
        "startupProbe": {"httpGet": {"port": 80}},
        "livenessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 120}}));
    assert_eq!(mistakes(&with_startup), Vec::<String>::new());
    let same = json!({"httpGet": {"port": 80, "path": "/"}});
    let identical = container(json!({"name": "a", "livenessProbe": same, "readinessProbe": same}));
    assert_eq!(
        mistakes(&identical),
        [
            "liveness is identical to readiness: a container that is only unready (busy, a dependency down) is restarted instead of taken out of rotation"
        ]
    );
    let slow_answer = container(json!({"name": "a",
        "readinessProbe": {"tcpSocket": {"port": 80}, "timeoutSeconds": 10}}));
    assert_eq!(
        mistakes(&slow_answer),
        [
            "readiness: timeoutSeconds=10 is not below periodSeconds=10: a slow answer delays the next check"
        ]
    );
    let unknown_port = container(
        json!({"name": "a", "ports": [{"name": "http", "containerPort": 80}],
        "readinessProbe": {"httpGet": {"port": "metrics"}}}),
    );
    assert_eq!(
        mistakes(&unknown_port),
        [
            "readiness: port \"metrics\" is not a named port of the container, so the probe always fails"
        ]
    );
    let hair_trigger = container(json!({"name": "a",
        "livenessProbe": {"tcpSocket": {"port": 80}, "failureThreshold": 1}}));
    assert_eq!(
        mistakes(&hair_trigger),
        ["liveness: failureThreshold=1 restarts the container on a single slow or failed check"]
    );
}

#[test]
fn failures_are_attributed_to_containers_and_summed() {
    let pod: Pod = serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns"},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}]}}))
    .expect("a pod");
    let event = |name: &str, path: &str, message: &str, count: i32, last: &str| -> Event {
        serde_json::from_value(json!({"metadata": {"name": name, "namespace": "ns"},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "ns", "fieldPath": path},
            "reason": "Unhealthy", "message": message, "count": count, "lastTimestamp": last}))
        .expect("an event")
    };
    let events = [
        event(
            "e1",
            "spec.containers{a}",
            "Liveness probe failed: timeout",
            2,
            "2026-11-23T11:50:00Z",
        ),
        event(
            "e2",
            "spec.containers{a}",
            "Liveness probe failed: 500",
            3,
            "2026-11-23T11:58:00Z",
        ),
        event(
            "e3",
            "spec.containers{b}",
            "Readiness probe errored: x",
            1,
            "2026-11-23T11:00:00Z",
        ),
    ];
    let refs: Vec<&Event> = events.iter().collect();
    let failures = probe_failures(&pod, &refs);
    assert_eq!(failures.len(), 2);
    assert_eq!(
        (
            failures[0].container.as_str(),
            failures[0].kind,
            failures[0].count,
            failures[0].last_message.as_str()
        ),
        (
            "a",
            Some(ProbeKind::Liveness),
            5,
            "Liveness probe failed: 500"
        )
    );
    assert_eq!(
        (
            failures[1].container.as_str(),
            failures[1].kind,
            failures[1].count
        ),
        ("b", Some(ProbeKind::Readiness), 1)
    );
    assert_eq!(
        probes_doc(&pod, &refs, now()).to_text(),
        "Pod ns/p\n\
         \n\
         Container a\n\
         no probes\n\
         Recent failures:\n\
         PROBE     COUNT  LAST  MESSAGE\n\
         liveness  5      2m    Liveness probe failed: 500\n\
         \n\
         Container b\n\
         no probes\n\
         Recent failures:\n\
         PROBE      COUNT  LAST  MESSAGE\n\
         readiness  1      60m   Readiness probe errored: x\n"
    );
}

#[test]
fn demo_pod_with_liveness_failures() {
    let snapshot = crate::demo::load().expect("the demo loads");
    let objects = &snapshot.objects;
    let pods = objects.cached_pods();
    let pod = pods
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("payments-v5z6r2wb7c-npxvp"))
        .expect("the pod");
    let events: Vec<&Event> = objects.events.iter().collect();
    let expected = r#"Pod shop/payments-v5z6r2wb7c-npxvp

Container app
PROBE      HANDLER                        DELAY  PERIOD  TIMEOUT  SUCCESS  FAILURE  GRACE
liveness   http-get http://:8080/healthz  5s     10s     1s       1        3        30s (pod)
readiness  http-get http://:8080/ready    0s     5s      1s       1        3        30s (pod)
Recent failures:
PROBE     COUNT  LAST  MESSAGE
liveness  14     5m4s  Liveness probe failed: Get "http://10.244.1.22:8080/healthz": dial tcp 10.244.1.22:8080: connect: connection refused
"#;
    assert_eq!(probes_doc(pod, &events, now()).to_text(), expected);
}
