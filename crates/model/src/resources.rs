//! What a pod asks of its node: the scheduler's view of requests
//! (`resourcehelper.PodRequests`), sidecars and init containers included.

use std::collections::BTreeMap;

use crate::cluster::pod::Quantities;
use crate::cluster::pod::{Container, Pod};

use super::quantity::parse_milli;

/// Milli-unit requests per resource name.
pub type Requests = BTreeMap<String, i128>;

fn container_requests(container: &Container) -> Requests {
    let resources = container.resources.as_ref();
    let mut out: Requests = BTreeMap::new();
    let parse = |list: Option<&Quantities>| -> Requests {
        list.into_iter()
            .flatten()
            .filter_map(|(k, q)| parse_milli(&q.0).ok().map(|v| (k.clone(), v)))
            .collect()
    };
    // The API server defaults a missing request to the limit.
    for (k, v) in parse(resources.and_then(|r| r.limits.as_ref())) {
        out.insert(k, v);
    }
    for (k, v) in parse(resources.and_then(|r| r.requests.as_ref())) {
        out.insert(k, v);
    }
    out
}

fn add_into(total: &mut Requests, more: &Requests) {
    for (k, v) in more {
        *total.entry(k.clone()).or_default() += v;
    }
}

fn max_into(total: &mut Requests, other: &Requests) {
    for (k, v) in other {
        let slot = total.entry(k.clone()).or_default();
        *slot = (*slot).max(*v);
    }
}

/// The effective requests the scheduler reserves for `pod`: the larger of the
/// regular containers (plus sidecars) and the peak of any init step, plus overhead.
pub fn pod_requests(pod: &Pod) -> Requests {
    let Some(spec) = pod.spec.as_ref() else {
        return Requests::new();
    };
    if let Some(pod_level) = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .filter(|r| !r.is_empty())
    {
        return pod_level
            .iter()
            .filter_map(|(k, q)| parse_milli(&q.0).ok().map(|v| (k.clone(), v)))
            .collect();
    }
    let mut reqs = Requests::new();
    for container in &spec.containers {
        add_into(&mut reqs, &container_requests(container));
    }
    let mut sidecars = Requests::new();
    let mut init_peak = Requests::new();
    for container in spec.init_containers.iter().flatten() {
        let mut step = container_requests(container);
        if container.restart_policy.as_deref() == Some("Always") {
            // A sidecar keeps running next to everything that follows it.
            add_into(&mut reqs, &step);
            add_into(&mut sidecars, &step);
            step = sidecars.clone();
        } else {
            add_into(&mut step, &sidecars);
        }
        max_into(&mut init_peak, &step);
    }
    max_into(&mut reqs, &init_peak);
    if let Some(overhead) = spec.overhead.as_ref() {
        for (k, q) in overhead {
            if let Ok(v) = parse_milli(&q.0) {
                *reqs.entry(k.clone()).or_default() += v;
            }
        }
    }
    reqs
}

/// Pods in a terminal phase hold no resources on their node.
pub fn holds_node_resources(pod: &Pod) -> bool {
    !matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(spec: serde_json::Value) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": spec})).unwrap()
    }

    #[test]
    fn sums_containers_and_takes_the_init_peak() {
        let p = pod(json!({
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}},
                {"name": "b", "resources": {"limits": {"cpu": "200m"}}}
            ],
            "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "1", "memory": "10Mi"}}}]
        }));
        let r = pod_requests(&p);
        assert_eq!(r["cpu"], 1000);
        assert_eq!(r["memory"], 64 * 1024 * 1024 * 1000);
    }

    #[test]
    fn sidecars_add_to_everything_after_them() {
        let p = pod(json!({
            "containers": [{"name": "a", "resources": {"requests": {"cpu": "100m"}}}],
            "initContainers": [
                {"name": "side", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
                {"name": "init", "resources": {"requests": {"cpu": "500m"}}}
            ],
            "overhead": {"cpu": "10m"}
        }));
        // max(100 + 50, 500 + 50) + 10
        assert_eq!(pod_requests(&p)["cpu"], 560);
    }
}
