//! The API server's defaulting, applied to every object the simulator stores
//! (seeded or written), so a client reads what a real server would return:
//! `SetDefaults_*` of `pkg/apis/core/v1`, `apps/v1` and `batch/v1` (probes,
//! ports' protocol, imagePullPolicy, terminationMessagePath, dnsPolicy,
//! Deployment strategy…), and on a pod's creation what the admission plugins
//! add (service account, DefaultTolerationSeconds, priority). Checked against
//! the objects a real kube-apiserver returned in `shared/wire/`.
//!
//! Defaulting only fills what is absent, so running it again changes nothing.

mod pod_spec;
mod workloads;

use serde_json::{Map, Value, json};

use super::resources::Resource;

/// Fills in the server's defaults of `body`, a stored object of `resource`;
/// `admitted` when it is written through the simulator (a seeded object went
/// through admission where it was recorded). Admission's defaults only fill
/// what is absent, so an update that leaves them out keeps them.
pub fn apply(resource: &Resource, body: &mut Value, admitted: bool) {
    match resource.plural {
        "pods" => {
            if let Some(spec) = body.get_mut("spec") {
                pod_spec::defaults(spec);
                pod_spec::pod_only(spec);
                if admitted {
                    pod_spec::admission(spec);
                }
            }
        }
        "podtemplates" => template(body.get_mut("template")),
        "replicationcontrollers" => {
            with_spec(body, |spec| {
                default(spec, "replicas", json!(1));
                template(spec.get_mut("template"));
            });
        }
        "services" => with_spec(body, workloads::service),
        "namespaces" => workloads::namespace(body),
        "persistentvolumeclaims" => with_spec(body, |spec| {
            default(spec, "volumeMode", json!("Filesystem"));
        }),
        "deployments" => with_spec(body, workloads::deployment),
        "replicasets" => with_spec(body, |spec| {
            default(spec, "replicas", json!(1));
            template(spec.get_mut("template"));
        }),
        "statefulsets" => with_spec(body, workloads::stateful_set),
        "daemonsets" => with_spec(body, workloads::daemon_set),
        "jobs" => with_spec(body, workloads::job),
        "cronjobs" => with_spec(body, workloads::cron_job),
        _ => {}
    }
}

/// A pod template's spec gets the pod spec's defaults (not admission's: those
/// apply when a pod is made from it).
fn template(template: Option<&mut Value>) {
    if let Some(spec) = template.and_then(|t| t.get_mut("spec")) {
        pod_spec::defaults(spec);
    }
}

fn with_spec(body: &mut Value, f: impl FnOnce(&mut Map<String, Value>)) {
    if let Some(spec) = body.get_mut("spec").and_then(Value::as_object_mut) {
        f(spec);
    }
}

/// Sets `field` to `value` when it is absent (or null).
fn default(map: &mut Map<String, Value>, field: &str, value: Value) {
    match map.get(field) {
        Some(Value::Null) | None => {
            map.insert(field.to_string(), value);
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests;
