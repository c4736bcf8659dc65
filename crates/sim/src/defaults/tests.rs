//! Objects as a user writes them, defaulted, against what a real kube-apiserver
//! returned for them (`tests/wire/`, copied from `shared/wire/`).

use serde_json::{Value, json};

use super::apply;
use crate::resources::lookup;

/// The first JSON body of a recorded exchange.
fn recorded(file: &str) -> Value {
    let path = format!("{}/../../tests/wire/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = text.find("\n{").expect("a JSON body") + 1;
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    stream.next().expect("a body").expect("JSON")
}

/// Removes what defaulting and admission fill in, leaving what a user sends.
fn as_submitted(pod: &Value) -> Value {
    let mut pod = pod.clone();
    let spec = pod["spec"].as_object_mut().expect("a spec");
    for field in [
        "restartPolicy",
        "terminationGracePeriodSeconds",
        "dnsPolicy",
        "securityContext",
        "schedulerName",
        "enableServiceLinks",
        "serviceAccount",
        "serviceAccountName",
        "tolerations",
        "priority",
        "preemptionPolicy",
    ] {
        spec.remove(field);
    }
    for container in spec["containers"].as_array_mut().expect("containers") {
        let container = container.as_object_mut().expect("a container");
        for field in [
            "imagePullPolicy",
            "terminationMessagePath",
            "terminationMessagePolicy",
        ] {
            container.remove(field);
        }
        for port in container
            .get_mut("ports")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            port.as_object_mut().expect("a port").remove("protocol");
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let Some(probe) = container.get_mut(probe).and_then(Value::as_object_mut) {
                for field in ["timeoutSeconds", "successThreshold", "failureThreshold"] {
                    probe.remove(field);
                }
                if let Some(http) = probe.get_mut("httpGet").and_then(Value::as_object_mut) {
                    http.remove("scheme");
                }
            }
        }
    }
    for volume in spec["volumes"].as_array_mut().into_iter().flatten() {
        if let Some(projected) = volume.get_mut("projected").and_then(Value::as_object_mut) {
            projected.remove("defaultMode");
        }
    }
    pod
}

#[test]
fn a_pod_as_submitted_is_defaulted_as_the_real_api_server_returned_it() {
    let list = recorded("10-list-pods-limit2.txt");
    let pods = lookup("pods").expect("pods are served");
    for real in list["items"].as_array().expect("items") {
        let mut pod = as_submitted(real);
        assert_ne!(pod["spec"], real["spec"]);
        apply(pods, &mut pod, true);
        assert_eq!(pod["spec"], real["spec"], "{}", real["metadata"]["name"]);
        // Defaulting again changes nothing.
        let again = {
            let mut again = pod.clone();
            apply(pods, &mut again, false);
            again
        };
        assert_eq!(again, pod);
    }
}

#[test]
fn a_grpc_probe_gets_its_empty_service_and_a_limit_its_request() {
    let pods = lookup("pods").expect("pods are served");
    let mut pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [{
        "name": "app", "image": "registry.example.com/app",
        "readinessProbe": {"grpc": {"port": 9090}},
        "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}
    }]}});
    apply(pods, &mut pod, true);
    let container = &pod["spec"]["containers"][0];
    assert_eq!(container["readinessProbe"]["grpc"]["service"], json!(""));
    assert_eq!(container["readinessProbe"]["periodSeconds"], json!(10));
    assert_eq!(container["imagePullPolicy"], json!("Always"), "untagged");
    assert_eq!(
        container["resources"]["requests"],
        json!({"cpu": "500m", "memory": "1Gi"})
    );
}

#[test]
fn services_and_deployments_get_what_the_server_fills_in() {
    let table = recorded("71-table-list-services-includeObject.txt");
    let services = lookup("services").expect("services are served");
    for row in table["rows"].as_array().expect("rows") {
        let real = &row["object"];
        let mut submitted = real.clone();
        let spec = submitted["spec"].as_object_mut().expect("a spec");
        for field in [
            "type",
            "sessionAffinity",
            "ipFamilies",
            "ipFamilyPolicy",
            "internalTrafficPolicy",
            "externalTrafficPolicy",
        ] {
            spec.remove(field);
        }
        // NodePort services say so; the rest is defaulted.
        if real["spec"]["type"] == json!("NodePort") {
            spec.insert("type".into(), json!("NodePort"));
        }
        for port in spec["ports"].as_array_mut().expect("ports") {
            let port = port.as_object_mut().expect("a port");
            port.remove("protocol");
            port.remove("targetPort");
        }
        apply(services, &mut submitted, true);
        assert_eq!(submitted["spec"], real["spec"]);
    }

    let deployments = lookup("deployments").expect("deployments are served");
    let mut deployment = json!({"metadata": {"name": "web"}, "spec": {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}});
    apply(deployments, &mut deployment, true);
    let spec = &deployment["spec"];
    assert_eq!(spec["replicas"], json!(1));
    assert_eq!(
        spec["strategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
    );
    assert_eq!(spec["revisionHistoryLimit"], json!(10));
    assert_eq!(spec["progressDeadlineSeconds"], json!(600));
    let template = &spec["template"]["spec"];
    assert_eq!(template["dnsPolicy"], json!("ClusterFirst"));
    assert_eq!(
        template["containers"][0]["imagePullPolicy"],
        json!("IfNotPresent")
    );
    assert!(
        template.get("tolerations").is_none(),
        "admission defaults are for pods, not templates"
    );
}
