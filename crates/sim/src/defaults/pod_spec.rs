//! Pod spec defaults (`SetDefaults_PodSpec`, `_Container`, `_Probe`,
//! `_ContainerPort`, the volume sources, `_Pod`'s requests from limits) and, on
//! creation, the admission plugins' (ServiceAccount, DefaultTolerationSeconds,
//! Priority).

use serde_json::{Map, Value, json};

use super::default;

pub fn defaults(spec: &mut Value) {
    let Some(spec) = spec.as_object_mut() else {
        return;
    };
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "securityContext", json!({}));
    default(spec, "schedulerName", json!("default-scheduler"));
    // The deprecated field mirrors the name (v1 conversion).
    if let Some(account) = spec.get("serviceAccountName").cloned() {
        default(spec, "serviceAccount", account);
    }
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for container in array_mut(spec, list) {
            if let Some(container) = container.as_object_mut() {
                container_defaults(container);
            }
        }
    }
    for volume in array_mut(spec, "volumes") {
        if let Some(volume) = volume.as_object_mut() {
            volume_defaults(volume);
        }
    }
}

/// `SetDefaults_Pod`, for pods only (not templates, as a real template
/// shows): service links on, and a container's limit without a request
/// requests the limit.
pub fn pod_only(spec: &mut Value) {
    let Some(spec) = spec.as_object_mut() else {
        return;
    };
    default(spec, "enableServiceLinks", json!(true));
    for list in ["containers", "initContainers"] {
        for container in array_mut(spec, list) {
            let Some(resources) = container
                .get_mut("resources")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let Some(limits) = resources.get("limits").and_then(Value::as_object).cloned() else {
                continue;
            };
            let requests = resources
                .entry("requests")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(requests) = requests.as_object_mut() {
                for (name, quantity) in limits {
                    requests.entry(name).or_insert(quantity);
                }
            }
        }
    }
}

/// What admission adds to a pod being created.
pub fn admission(spec: &mut Value) {
    let Some(spec) = spec.as_object_mut() else {
        return;
    };
    default(spec, "serviceAccountName", json!("default"));
    if let Some(account) = spec.get("serviceAccountName").cloned() {
        default(spec, "serviceAccount", account);
    }
    // DefaultTolerationSeconds: 300 s on not-ready and unreachable nodes,
    // unless the pod tolerates those taints already.
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerations = spec
            .entry("tolerations")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(list) = tolerations.as_array_mut() {
            let tolerated = list.iter().any(|t| {
                let key_matches = match t.get("key").and_then(Value::as_str) {
                    None | Some("") => t.get("operator").and_then(Value::as_str) == Some("Exists"),
                    Some(k) => k == key,
                };
                let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
                key_matches && (effect.is_empty() || effect == "NoExecute")
            });
            if !tolerated {
                list.push(json!({
                    "key": key,
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300
                }));
            }
        }
    }
    // Priority: a pod without a class gets the global default, 0.
    if spec.get("priorityClassName").is_none() {
        default(spec, "priority", json!(0));
    }
    default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
}

fn container_defaults(container: &mut Map<String, Value>) {
    let image = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    default(container, "imagePullPolicy", json!(pull_policy(image)));
    default(
        container,
        "terminationMessagePath",
        json!("/dev/termination-log"),
    );
    default(container, "terminationMessagePolicy", json!("File"));
    for port in array_mut(container, "ports") {
        if let Some(port) = port.as_object_mut() {
            default(port, "protocol", json!("TCP"));
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(probe) = container.get_mut(probe).and_then(Value::as_object_mut) {
            probe_defaults(probe);
        }
    }
}

/// `Always` for `:latest` or an untagged image, else `IfNotPresent`.
fn pull_policy(image: &str) -> &'static str {
    // A digest pins the image: never "latest".
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn probe_defaults(probe: &mut Map<String, Value>) {
    default(probe, "timeoutSeconds", json!(1));
    default(probe, "periodSeconds", json!(10));
    default(probe, "successThreshold", json!(1));
    default(probe, "failureThreshold", json!(3));
    if let Some(http) = probe.get_mut("httpGet").and_then(Value::as_object_mut) {
        default(http, "path", json!("/"));
        default(http, "scheme", json!("HTTP"));
    }
    if let Some(grpc) = probe.get_mut("grpc").and_then(Value::as_object_mut) {
        default(grpc, "service", json!(""));
    }
}

fn volume_defaults(volume: &mut Map<String, Value>) {
    for source in ["secret", "configMap", "projected", "downwardAPI"] {
        if let Some(source) = volume.get_mut(source).and_then(Value::as_object_mut) {
            default(source, "defaultMode", json!(420));
        }
    }
    if let Some(host_path) = volume.get_mut("hostPath").and_then(Value::as_object_mut) {
        default(host_path, "type", json!(""));
    }
    if let Some(projected) = volume.get_mut("projected").and_then(Value::as_object_mut) {
        for source in array_mut(projected, "sources") {
            if let Some(token) = source
                .get_mut("serviceAccountToken")
                .and_then(Value::as_object_mut)
            {
                default(token, "expirationSeconds", json!(3600));
            }
        }
    }
}

fn array_mut<'a>(
    map: &'a mut Map<String, Value>,
    field: &str,
) -> impl Iterator<Item = &'a mut Value> {
    map.get_mut(field)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}
