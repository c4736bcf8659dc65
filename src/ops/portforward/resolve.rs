//! Which pod and which pod port a forward goes to, as kubectl port-forward
//! decides it (staging/src/k8s.io/kubectl/pkg/cmd/portforward/portforward.go:
//! `translateServicePortToTargetPort`, `convertPodNamedPortToNumber`, and
//! kubectl/pkg/util/service_port.go), except that a Service or Deployment
//! forward picks a *ready* pod: the one the Service's endpoints would route
//! to, so that a re-resolution after a pod goes away lands on a working one.
//!
//! The pods of a Service are found from its selector (GET the Service, list the
//! namespace's pods, keep the Ready ones the selector matches), not from
//! Endpoints/EndpointSlices: the simulator serves Services and Pods but not
//! EndpointSlices, and the endpoints controller derives them from exactly this.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::Api;
use kube::api::ListParams;

use crate::model::forwards::{ForwardTarget, RemotePort};
use crate::model::selector::{Selector, from_label_selector};

use super::ForwardError;

/// A pod to connect to and the pod port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub pod: String,
    pub port: u16,
}

/// Finds the pod and port for `target`, avoiding the pod named `avoid` (the
/// one that just went away, which a watch may not yet show as gone).
pub async fn resolve(
    client: &kube::Client,
    target: &ForwardTarget,
    remote: &RemotePort,
    avoid: Option<&str>,
) -> Result<Resolved, ForwardError> {
    let namespace = target.namespace();
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    match target {
        ForwardTarget::Pod { name, .. } => {
            let pod = pods.get(name).await.map_err(api_error)?;
            let phase = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            if phase != "Running" {
                return Err(ForwardError::Resolve(format!(
                    "unable to forward port because pod is not running. Current status={phase}"
                )));
            }
            let port = pod_port(&pod, remote)?;
            Ok(Resolved {
                pod: name.clone(),
                port,
            })
        }
        ForwardTarget::Service { name, .. } => {
            let services: Api<Service> = Api::namespaced(client.clone(), namespace);
            let service = services.get(name).await.map_err(api_error)?;
            let spec = service.spec.clone().unwrap_or_default();
            let selector = spec.selector.clone().unwrap_or_default();
            if selector.is_empty() {
                return Err(ForwardError::Resolve(format!(
                    "invalid service '{name}': Service is defined without a selector"
                )));
            }
            let service_port = match remote {
                RemotePort::Number(number) => *number,
                RemotePort::Name(port_name) => service_port_by_name(&service, port_name)?,
            };
            let matches = |labels: &BTreeMap<String, String>| {
                selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            };
            let pod = ready_pod(&pods, avoid, matches)
                .await?
                .ok_or_else(|| ForwardError::Resolve(format!("service {name} has no ready pod")))?;
            let port = container_port_by_service_port(&service, &pod, service_port)?;
            Ok(Resolved {
                pod: pod.metadata.name.clone().unwrap_or_default(),
                port,
            })
        }
        ForwardTarget::Deployment { name, .. } => {
            let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
            let deployment = deployments.get(name).await.map_err(api_error)?;
            let label_selector = deployment.spec.selector.clone();
            let selector: Selector = from_label_selector(&label_selector)
                .map_err(|e| ForwardError::Resolve(format!("deployment {name}: {e}")))?;
            if selector.is_empty() {
                return Err(ForwardError::Resolve(format!(
                    "deployment {name} has an empty selector"
                )));
            }
            let pod = ready_pod(&pods, avoid, |labels| selector.matches(labels))
                .await?
                .ok_or_else(|| {
                    ForwardError::Resolve(format!("deployment {name} has no ready pod"))
                })?;
            let port = pod_port(&pod, remote)?;
            Ok(Resolved {
                pod: pod.metadata.name.clone().unwrap_or_default(),
                port,
            })
        }
    }
}

/// The first (by name) ready pod the selector matches, other than `avoid`.
async fn ready_pod(
    pods: &Api<Pod>,
    avoid: Option<&str>,
    matches: impl Fn(&BTreeMap<String, String>) -> bool,
) -> Result<Option<Pod>, ForwardError> {
    let list = pods.list(&ListParams::default()).await.map_err(api_error)?;
    let mut candidates: Vec<Pod> = list
        .items
        .into_iter()
        .filter(|pod| {
            let labels = pod.metadata.labels.clone().unwrap_or_default();
            matches(&labels) && is_ready(pod) && pod.metadata.name.as_deref() != avoid
        })
        .collect();
    candidates.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    Ok(candidates.into_iter().next())
}

/// Ready as the endpoints controller counts it: the Ready condition is True
/// and the pod is not terminating (pkg/api/v1/pod `IsPodReady`; a pod with a
/// deletionTimestamp is listed as not ready in its endpoints).
pub fn is_ready(pod: &Pod) -> bool {
    if pod.metadata.deletion_timestamp.is_some() {
        return false;
    }
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|conditions| {
            conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
}

/// Still usable as a bare pod target: kubectl only requires it to run.
pub fn is_running(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_none()
        && pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
}

/// A pod port given by number (used as is, as kubectl does) or by name.
fn pod_port(pod: &Pod, remote: &RemotePort) -> Result<u16, ForwardError> {
    match remote {
        RemotePort::Number(number) => Ok(*number),
        RemotePort::Name(name) => container_port_by_name(pod, name),
    }
}

/// kubectl's `lookupContainerPortNumberByName`.
pub fn container_port_by_name(pod: &Pod, name: &str) -> Result<u16, ForwardError> {
    let found = pod
        .spec
        .as_ref()
        .into_iter()
        .flat_map(|spec| spec.containers.iter())
        .flat_map(|container| container.ports.iter().flatten())
        .find(|port| port.name.as_deref() == Some(name))
        .and_then(|port| u16::try_from(port.container_port).ok());
    found.ok_or_else(|| {
        ForwardError::Resolve(format!(
            "pod '{}' does not have a named port '{name}'",
            pod.metadata.name.as_deref().unwrap_or_default()
        ))
    })
}

/// kubectl's `lookupServicePortNumberByName`.
pub fn service_port_by_name(service: &Service, name: &str) -> Result<u16, ForwardError> {
    service_ports(service)
        .find(|port| port.name.as_deref() == Some(name))
        .and_then(|port| u16::try_from(port.port).ok())
        .ok_or_else(|| {
            ForwardError::Resolve(format!(
                "service '{}' does not have a named port '{name}'",
                service.metadata.name.as_deref().unwrap_or_default()
            ))
        })
}

/// kubectl's `lookupContainerPortNumberByServicePort`: the Service port's
/// targetPort (its own port when omitted, a named one looked up in the pod);
/// a headless Service forwards the port as given.
pub fn container_port_by_service_port(
    service: &Service,
    pod: &Pod,
    port: u16,
) -> Result<u16, ForwardError> {
    let headless = service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None");
    for service_port in service_ports(service) {
        if service_port.port != i32::from(port) {
            continue;
        }
        if headless {
            return Ok(port);
        }
        return match &service_port.target_port {
            None | Some(IntOrString::Int(0)) => Ok(port),
            Some(IntOrString::Int(target)) => u16::try_from(*target)
                .map_err(|_| ForwardError::Resolve(format!("invalid targetPort {target}"))),
            Some(IntOrString::String(name)) => container_port_by_name(pod, name),
        };
    }
    Err(ForwardError::Resolve(format!(
        "service {} does not have a service port {port}",
        service.metadata.name.as_deref().unwrap_or_default()
    )))
}

fn service_ports(
    service: &Service,
) -> impl Iterator<Item = &k8s_openapi::api::core::v1::ServicePort> {
    service
        .spec
        .as_ref()
        .into_iter()
        .flat_map(|spec| spec.ports.iter().flatten())
}

pub(super) fn api_error(error: kube::Error) -> ForwardError {
    match error {
        kube::Error::Api(status) => ForwardError::Resolve(status.message),
        other => ForwardError::Resolve(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(cluster_ip: &str) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"clusterIP": cluster_ip, "selector": {"app": "web"}, "ports": [
                {"name": "http", "port": 80, "targetPort": "web-http"},
                {"name": "admin", "port": 9000, "targetPort": 9100},
                {"name": "plain", "port": 7000}
            ]}
        }))
        .expect("a Service")
    }

    fn pod() -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": "web-1"},
            "spec": {"containers": [
                {"name": "a", "ports": [{"name": "metrics", "containerPort": 9090}]},
                {"name": "b", "ports": [{"name": "web-http", "containerPort": 8080}]}
            ]}
        }))
        .expect("a Pod")
    }

    fn message(result: Result<u16, ForwardError>) -> String {
        result.expect_err("an error").to_string()
    }

    #[test]
    fn service_ports_resolve_to_their_target_ports() {
        let svc = service("10.96.0.7");
        assert_eq!(
            container_port_by_service_port(&svc, &pod(), 80).ok(),
            Some(8080)
        );
        assert_eq!(
            container_port_by_service_port(&svc, &pod(), 9000).ok(),
            Some(9100)
        );
        assert_eq!(
            container_port_by_service_port(&svc, &pod(), 7000).ok(),
            Some(7000)
        );
        assert_eq!(
            message(container_port_by_service_port(&svc, &pod(), 81)),
            "service web does not have a service port 81"
        );
        assert_eq!(service_port_by_name(&svc, "http").ok(), Some(80));
        assert_eq!(
            message(service_port_by_name(&svc, "grpc")),
            "service 'web' does not have a named port 'grpc'"
        );
        // Headless: the port as given, targetPort ignored.
        assert_eq!(
            container_port_by_service_port(&service("None"), &pod(), 9000).ok(),
            Some(9000)
        );
    }

    #[test]
    fn named_container_ports_are_found_in_any_container() {
        assert_eq!(container_port_by_name(&pod(), "web-http").ok(), Some(8080));
        assert_eq!(
            message(container_port_by_name(&pod(), "grpc")),
            "pod 'web-1' does not have a named port 'grpc'"
        );
    }

    #[test]
    fn readiness_is_the_ready_condition_of_a_pod_not_terminating() {
        let mut ready: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
        }))
        .expect("a Pod");
        assert!(is_ready(&ready) && is_running(&ready));
        ready.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                "2026-11-23T12:00:00Z".parse().expect("a time"),
            ));
        assert!(!is_ready(&ready) && !is_running(&ready));
        let unready: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}]}
        }))
        .expect("a Pod");
        assert!(!is_ready(&unready) && is_running(&unready));
    }
}
