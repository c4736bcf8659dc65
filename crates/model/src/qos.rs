//! Pod QoS classes as the API server computes them (`ComputePodQOS`), with the reason
//! spelled out: the class decides the kubelet's eviction order under pressure.

use std::collections::BTreeMap;

use crate::cluster::pod::Quantities;
use crate::cluster::pod::ResourceRequirements;
use crate::cluster::pod::{Pod, PodSpec};

use super::quantity::parse_milli;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QosClass {
    /// Evicted first under node pressure.
    BestEffort,
    Burstable,
    /// Evicted last.
    Guaranteed,
}

impl QosClass {
    pub fn as_str(self) -> &'static str {
        match self {
            QosClass::BestEffort => "BestEffort",
            QosClass::Burstable => "Burstable",
            QosClass::Guaranteed => "Guaranteed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "BestEffort" => Some(QosClass::BestEffort),
            "Burstable" => Some(QosClass::Burstable),
            "Guaranteed" => Some(QosClass::Guaranteed),
            _ => None,
        }
    }
}

/// The class kubectl shows: `status.qosClass` when the API server set it, else
/// computed from the spec as the API server would.
pub fn pod_qos(pod: &Pod) -> QosClass {
    pod.status
        .as_ref()
        .and_then(|s| s.qos_class.as_deref())
        .and_then(QosClass::parse)
        .unwrap_or_else(|| pod.spec.as_ref().map_or(QosClass::BestEffort, compute_qos))
}

const QOS_RESOURCES: [&str; 2] = ["cpu", "memory"];

/// Requests as the API server stores them: a limit without a request defaults the
/// request to the limit.
fn effective(
    resources: Option<&ResourceRequirements>,
) -> (BTreeMap<String, i128>, BTreeMap<String, i128>) {
    let positive = |list: Option<&Quantities>| -> BTreeMap<String, i128> {
        list.into_iter()
            .flatten()
            .filter(|(name, _)| QOS_RESOURCES.contains(&name.as_str()))
            .filter_map(|(name, q)| parse_milli(&q.0).ok().map(|v| (name.clone(), v)))
            .filter(|(_, v)| *v > 0)
            .collect()
    };
    let limits = positive(resources.and_then(|r| r.limits.as_ref()));
    let mut requests = positive(resources.and_then(|r| r.requests.as_ref()));
    let explicit: Vec<String> = resources
        .and_then(|r| r.requests.as_ref())
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    for (name, limit) in &limits {
        if !explicit.contains(name) {
            requests.insert(name.clone(), *limit);
        }
    }
    (requests, limits)
}

/// `ComputePodQOS`: pod-level resources when the pod sets them, otherwise the sum
/// over all containers, init containers included.
pub fn compute_qos(spec: &PodSpec) -> QosClass {
    let mut requests: BTreeMap<String, i128> = BTreeMap::new();
    let mut limits: BTreeMap<String, i128> = BTreeMap::new();
    let mut guaranteed = true;
    let mut add = |(reqs, lims): (BTreeMap<String, i128>, BTreeMap<String, i128>)| {
        if !QOS_RESOURCES.iter().all(|r| lims.contains_key(*r)) {
            guaranteed = false;
        }
        for (name, v) in reqs {
            *requests.entry(name).or_default() += v;
        }
        for (name, v) in lims {
            *limits.entry(name).or_default() += v;
        }
    };
    let pod_level = spec.resources.as_ref().filter(|r| {
        r.requests.as_ref().is_some_and(|m| !m.is_empty())
            || r.limits.as_ref().is_some_and(|m| !m.is_empty())
    });
    if let Some(resources) = pod_level {
        add(effective(Some(resources)));
    } else {
        for container in spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
        {
            add(effective(container.resources.as_ref()));
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return QosClass::BestEffort;
    }
    if guaranteed
        && requests.len() == limits.len()
        && requests
            .iter()
            .all(|(name, req)| limits.get(name) == Some(req))
    {
        QosClass::Guaranteed
    } else {
        QosClass::Burstable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(value: serde_json::Value) -> PodSpec {
        serde_json::from_value(value).unwrap()
    }

    fn container(resources: serde_json::Value) -> serde_json::Value {
        json!({"name": "c", "resources": resources})
    }

    #[test]
    fn best_effort_without_requests_or_limits() {
        assert_eq!(
            compute_qos(&spec(json!({"containers": [{"name": "c"}]}))),
            QosClass::BestEffort
        );
        // Zero quantities and non-QoS resources do not count.
        assert_eq!(
            compute_qos(&spec(
                json!({"containers": [container(json!({"requests": {"cpu": "0", "ephemeral-storage": "1Gi"}}))]})
            )),
            QosClass::BestEffort
        );
    }

    #[test]
    fn guaranteed_needs_equal_cpu_and_memory_everywhere() {
        let full = json!({"requests": {"cpu": "500m", "memory": "256Mi"}, "limits": {"cpu": "0.5", "memory": "256Mi"}});
        assert_eq!(
            compute_qos(&spec(json!({"containers": [container(full.clone())]}))),
            QosClass::Guaranteed
        );
        // Requests default to limits.
        let limits_only = json!({"limits": {"cpu": "1", "memory": "1Gi"}});
        assert_eq!(
            compute_qos(&spec(json!({"containers": [container(limits_only)]}))),
            QosClass::Guaranteed
        );
        // An init container without limits makes the pod Burstable.
        assert_eq!(
            compute_qos(&spec(json!({"containers": [container(full.clone())],
                "initContainers": [container(json!({"requests": {"cpu": "100m"}}))]}))),
            QosClass::Burstable
        );
        // A second container without any resources breaks it too.
        assert_eq!(
            compute_qos(&spec(
                json!({"containers": [container(full), {"name": "sidecar"}]})
            )),
            QosClass::Burstable
        );
    }

    #[test]
    fn burstable_when_requests_differ_from_limits_or_only_some_are_set() {
        assert_eq!(
            compute_qos(&spec(
                json!({"containers": [container(json!({"requests": {"cpu": "100m", "memory": "64Mi"},
                "limits": {"cpu": "1", "memory": "64Mi"}}))]})
            )),
            QosClass::Burstable
        );
        assert_eq!(
            compute_qos(&spec(
                json!({"containers": [container(json!({"requests": {"memory": "64Mi"}}))]})
            )),
            QosClass::Burstable
        );
        assert_eq!(
            compute_qos(&spec(
                json!({"containers": [container(json!({"limits": {"cpu": "1"}}))]})
            )),
            QosClass::Burstable
        );
    }

    #[test]
    fn pod_level_resources_take_precedence() {
        assert_eq!(
            compute_qos(&spec(
                json!({"resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
                "containers": [{"name": "a"}, {"name": "b"}]})
            )),
            QosClass::Guaranteed
        );
    }

    #[test]
    fn stored_class_wins() {
        let pod: Pod = serde_json::from_value(json!({"metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c"}]}, "status": {"qosClass": "Guaranteed"}}))
        .unwrap();
        assert_eq!(pod_qos(&pod), QosClass::Guaranteed);
        let pod: Pod = serde_json::from_value(json!({"metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c"}]}}))
        .unwrap();
        assert_eq!(pod_qos(&pod), QosClass::BestEffort);
    }
}
