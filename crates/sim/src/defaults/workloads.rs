//! Defaults of the workload kinds (`apps/v1`, `batch/v1`), Services and
//! Namespaces, as `SetDefaults_*` and the registries fill them.

use serde_json::{Map, Value, json};

use super::{default, template};

/// A strategy `field` that defaults to RollingUpdate, with these defaults for
/// its `rollingUpdate` when it is one.
fn rolling_update(spec: &mut Map<String, Value>, field: &str, defaults: &[(&str, Value)]) {
    let strategy = spec
        .entry(field)
        .or_insert_with(|| json!({"type": "RollingUpdate"}));
    let Some(strategy) = strategy.as_object_mut() else {
        return;
    };
    default(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type").and_then(Value::as_str) != Some("RollingUpdate") {
        return;
    }
    let rolling = strategy
        .entry("rollingUpdate")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(rolling) = rolling.as_object_mut() {
        for (name, value) in defaults {
            default(rolling, name, value.clone());
        }
    }
}

pub fn deployment(spec: &mut Map<String, Value>) {
    default(spec, "replicas", json!(1));
    default(spec, "revisionHistoryLimit", json!(10));
    default(spec, "progressDeadlineSeconds", json!(600));
    rolling_update(
        spec,
        "strategy",
        &[("maxUnavailable", json!("25%")), ("maxSurge", json!("25%"))],
    );
    template(spec.get_mut("template"));
}

pub fn stateful_set(spec: &mut Map<String, Value>) {
    default(spec, "replicas", json!(1));
    default(spec, "podManagementPolicy", json!("OrderedReady"));
    default(spec, "revisionHistoryLimit", json!(10));
    default(
        spec,
        "persistentVolumeClaimRetentionPolicy",
        json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
    );
    rolling_update(spec, "updateStrategy", &[("partition", json!(0))]);
    template(spec.get_mut("template"));
}

pub fn daemon_set(spec: &mut Map<String, Value>) {
    default(spec, "revisionHistoryLimit", json!(10));
    rolling_update(
        spec,
        "updateStrategy",
        &[("maxUnavailable", json!(1)), ("maxSurge", json!(0))],
    );
    template(spec.get_mut("template"));
}

pub fn job(spec: &mut Map<String, Value>) {
    // Neither given: one pod, once.
    if spec.get("completions").is_none() && spec.get("parallelism").is_none() {
        spec.insert("completions".into(), json!(1));
        spec.insert("parallelism".into(), json!(1));
    }
    default(spec, "parallelism", json!(1));
    default(spec, "backoffLimit", json!(6));
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    default(spec, "manualSelector", json!(false));
    default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
    template(spec.get_mut("template"));
}

pub fn cron_job(spec: &mut Map<String, Value>) {
    default(spec, "concurrencyPolicy", json!("Allow"));
    default(spec, "suspend", json!(false));
    default(spec, "successfulJobsHistoryLimit", json!(3));
    default(spec, "failedJobsHistoryLimit", json!(1));
    if let Some(job_spec) = spec
        .get_mut("jobTemplate")
        .and_then(|t| t.get_mut("spec"))
        .and_then(Value::as_object_mut)
    {
        // A CronJob's Job template is defaulted as the Job it makes would be,
        // except for the counts, which the Job gets when it is created.
        default(job_spec, "backoffLimit", json!(6));
        default(job_spec, "completionMode", json!("NonIndexed"));
        default(job_spec, "suspend", json!(false));
        default(
            job_spec,
            "podReplacementPolicy",
            json!("TerminatingOrFailed"),
        );
        template(job_spec.get_mut("template"));
    }
}

/// `SetDefaults_Service` and what the service registry fills in (one IPv4
/// family, internal traffic to the cluster).
pub fn service(spec: &mut Map<String, Value>) {
    default(spec, "type", json!("ClusterIP"));
    default(spec, "sessionAffinity", json!("None"));
    let kind = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for port in ports.iter_mut().filter_map(Value::as_object_mut) {
            default(port, "protocol", json!("TCP"));
            if let Some(number) = port.get("port").cloned() {
                default(port, "targetPort", number);
            }
        }
    }
    if kind != "ExternalName" {
        default(spec, "ipFamilies", json!(["IPv4"]));
        default(spec, "ipFamilyPolicy", json!("SingleStack"));
        default(spec, "internalTrafficPolicy", json!("Cluster"));
    }
    if kind == "NodePort" || kind == "LoadBalancer" {
        default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if kind == "LoadBalancer" {
        default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
}

/// A namespace is finalized by `kubernetes` and starts Active.
pub fn namespace(body: &mut Value) {
    let Some(object) = body.as_object_mut() else {
        return;
    };
    let spec = object
        .entry("spec")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(spec) = spec.as_object_mut() {
        default(spec, "finalizers", json!(["kubernetes"]));
    }
    let status = object
        .entry("status")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(status) = status.as_object_mut() {
        default(status, "phase", json!("Active"));
    }
}
