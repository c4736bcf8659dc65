use super::*;
use serde_json::json;

fn pod(spec: serde_json::Value) -> Pod {
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": spec}))
        .expect("a pod")
}

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("an instant")
}

#[test]
fn requests_default_to_limits_and_make_a_guaranteed_pod() {
    let p = pod(json!({"containers": [{"name": "web",
        "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}));
    let e = explain(&p);
    assert_eq!((e.class, e.from_status), (QosClass::Guaranteed, false));
    assert_eq!(e.containers[0].cpu_request, Amount::FromLimit("1".into()));
    assert_eq!(
        e.containers[0].memory_request,
        Amount::FromLimit("1Gi".into())
    );
    assert_eq!(
        e.reason,
        "every container has cpu and memory limits, and requests equal to them"
    );
    assert_eq!(
        qos_doc(&p, now()).to_text(),
        "QoS class\n\
         Pod:    ns/p\n\
         Class:  Guaranteed (computed from the spec)\n\
         Reason: every container has cpu and memory limits, and requests equal to them\n\
         Age:    <unknown>\n\
         \n\
         Containers\n\
         CONTAINER  TYPE       CPU REQ     CPU LIM  MEM REQ       MEM LIM  QOS\n\
         web        container  1 (=limit)  1        1Gi (=limit)  1Gi\n\
         (=limit): no request was set, so the API server defaulted it to the limit.\n"
    );
}

#[test]
fn an_init_container_without_limits_makes_the_pod_burstable() {
    let full = json!({"limits": {"cpu": "500m", "memory": "256Mi"}});
    let p = pod(json!({
        "initContainers": [
            {"name": "migrate", "resources": {"requests": {"cpu": "100m"}}},
            {"name": "proxy", "restartPolicy": "Always", "resources": full.clone()},
        ],
        "containers": [{"name": "web", "resources": full}],
    }));
    let e = explain(&p);
    assert_eq!(e.class, QosClass::Burstable);
    assert_eq!(
        e.reason,
        "init container migrate has no cpu limit; init container migrate has no memory limit"
    );
    let roles: Vec<&str> = e.containers.iter().map(|c| c.role).collect();
    assert_eq!(roles, ["init", "sidecar", "container"]);
    let text = qos_doc(&p, now()).to_text();
    let table: Vec<&str> = text.lines().skip(7).take(4).collect();
    assert_eq!(
        table,
        [
            "CONTAINER  TYPE       CPU REQ        CPU LIM  MEM REQ         MEM LIM  QOS",
            "migrate    init       100m           -        -               -        makes the pod Burstable",
            "proxy      sidecar    500m (=limit)  500m     256Mi (=limit)  256Mi",
            "web        container  500m (=limit)  500m     256Mi (=limit)  256Mi",
        ]
    );
}

#[test]
fn best_effort_and_a_stored_class_that_differs() {
    let p: Pod = serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns"},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
        "status": {"qosClass": "Burstable"}}))
    .expect("a pod");
    let e = explain(&p);
    assert_eq!(
        (e.class, e.computed, e.from_status),
        (QosClass::Burstable, QosClass::BestEffort, true)
    );
    let doc = qos_doc(&p, now());
    assert_eq!(
        doc.lines[5].text(),
        "The spec computes to BestEffort; the stored class was set when the pod was created."
    );
    assert_eq!(
        explain(&pod(json!({"containers": [{"name": "a"}]}))).reason,
        "no container sets a cpu or memory request or limit"
    );
}

#[test]
fn an_explicit_zero_request_is_not_defaulted_to_the_limit() {
    let p = pod(json!({"containers": [{"name": "web", "resources": {
        "requests": {"cpu": "0"}, "limits": {"cpu": "1", "memory": "1Gi"}}}]}));
    let e = explain(&p);
    assert_eq!(e.class, QosClass::Burstable);
    assert_eq!(e.containers[0].cpu_request, Amount::Unset);
    assert_eq!(
        e.containers[0].memory_request,
        Amount::FromLimit("1Gi".into())
    );
    assert_eq!(e.reason, "container web requests no cpu, below its limit 1");
}

#[test]
fn pod_level_resources_decide_and_are_shown() {
    let p = pod(
        json!({"resources": {"requests": {"cpu": "1"}, "limits": {"cpu": "2", "memory": "1Gi"}},
        "containers": [{"name": "a"}]}),
    );
    let e = explain(&p);
    assert_eq!(e.computed, QosClass::Burstable);
    assert_eq!(e.reason, "the pod requests 1 cpu, below its limit 2");
    let expected = r#"QoS class
Pod:    ns/p
Class:  Burstable (computed from the spec)
Reason: the pod requests 1 cpu, below its limit 2
Age:    <unknown>

Pod-level resources (decide the class)
CONTAINER  TYPE  CPU REQ  CPU LIM  MEM REQ       MEM LIM  QOS
(pod)      pod   1        2        1Gi (=limit)  1Gi      makes the pod Burstable

Containers
CONTAINER  TYPE       CPU REQ  CPU LIM  MEM REQ  MEM LIM  QOS
a          container  -        -        -        -
(=limit): no request was set, so the API server defaulted it to the limit.
"#;
    assert_eq!(qos_doc(&p, now()).to_text(), expected);
}

#[test]
fn qos_by_node_orders_by_class_then_priority() {
    let mk = |name: &str, node: &str, priority: i32, resources: serde_json::Value| -> Pod {
        serde_json::from_value(json!({"metadata": {"name": name, "namespace": "ns"},
            "spec": {"nodeName": node, "priority": priority,
                "containers": [{"name": "c", "resources": resources}]}}))
        .expect("a pod")
    };
    let g = json!({"limits": {"cpu": "1", "memory": "1Gi"}});
    let b = json!({"requests": {"cpu": "1"}});
    let pods = [
        mk("guaranteed", "n1", 0, g),
        mk("burstable-high", "n1", 1000, b.clone()),
        mk("burstable-low", "n1", -5, b),
        mk("besteffort", "n1", 0, json!({})),
        mk("critical", "n2", 2_000_000_000, json!({})),
    ];
    let refs: Vec<&Pod> = pods.iter().collect();
    let nodes: Vec<Node> = ["n1", "n3"]
        .iter()
        .map(|n| serde_json::from_value(json!({"metadata": {"name": n}})).expect("a node"))
        .collect();
    let node_refs: Vec<&Node> = nodes.iter().collect();
    let doc = qos_by_node_doc(&refs, &node_refs, now());
    assert_eq!(
        doc.to_text(),
        "Eviction order under memory pressure, approximated without usage metrics: BestEffort, \
         then Burstable, then Guaranteed; within a class, lower priority first.\n\
         \n\
         Node n1 (4 pods)\n\
         #  NAMESPACE  POD             QOS         PRIORITY  AGE        NOTE\n\
         1  ns         besteffort      BestEffort  0         <unknown>\n\
         2  ns         burstable-low   Burstable   -5        <unknown>\n\
         3  ns         burstable-high  Burstable   1000      <unknown>\n\
         4  ns         guaranteed      Guaranteed  0         <unknown>\n\
         \n\
         Node n2 (1 pods)\n\
         #  NAMESPACE  POD       QOS         PRIORITY    AGE        NOTE\n\
         1  ns         critical  BestEffort  2000000000  <unknown>  critical: never evicted\n\
         \n\
         Node n3 (0 pods)\n"
    );
    assert_eq!(
        doc.lines[2].target,
        Some(ObjectRef::new(Kind::Node, "", "n1"))
    );
    assert_eq!(
        doc.lines[4].target,
        Some(ObjectRef::new(Kind::Pod, "ns", "besteffort"))
    );
}

#[test]
fn demo_burstable_pod() {
    let snapshot = crate::demo::load().expect("the demo loads");
    let pods = snapshot.objects.cached_pods();
    let pod = pods
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some("web-45dmd5frnr-m9ghv"))
        .expect("the pod");
    let expected = r#"QoS class
Pod:    shop/web-45dmd5frnr-m9ghv
Class:  Burstable (computed from the spec)
Reason: container web requests 100m cpu, below its limit 500m; container web requests 128Mi memory, below its limit 256Mi
Age:    2d3h

Containers
CONTAINER  TYPE       CPU REQ  CPU LIM  MEM REQ  MEM LIM  QOS
web        container  100m     500m     128Mi    256Mi    makes the pod Burstable
"#;
    assert_eq!(qos_doc(pod, now()).to_text(), expected);
}
