//! Which containers of a pod a user can reach by name, and which one kubectl
//! picks when none is named (kubectl/pkg/cmd/util/podcmd/podcmd.go).

use crate::cluster::pod::{Container, Pod};

/// What a container is to its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerRole {
    Regular,
    /// An init container with `restartPolicy: Always`: it runs beside the
    /// regular containers for the pod's whole life.
    Sidecar,
    /// An init container that runs to completion before the others start.
    Init,
    /// Added later with `kubectl debug`.
    Ephemeral,
}

impl ContainerRole {
    /// How a chooser marks it (nothing for a regular container).
    pub fn marker(self) -> &'static str {
        match self {
            ContainerRole::Regular => "",
            ContainerRole::Sidecar => "sidecar",
            ContainerRole::Init => "init",
            ContainerRole::Ephemeral => "ephemeral",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedContainer {
    pub name: String,
    pub role: ContainerRole,
}

impl NamedContainer {
    /// `app`, `log-shipper (sidecar)`.
    pub fn label(&self) -> String {
        match self.role.marker() {
            "" => self.name.clone(),
            marker => format!("{} ({marker})", self.name),
        }
    }
}

/// Every container of the pod: regular ones first (the default is one of
/// them), then init containers (sidecars among them), then ephemeral ones.
pub fn all_containers(pod: &Pod) -> Vec<NamedContainer> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let named = |containers: &[Container], role: fn(&Container) -> ContainerRole| {
        containers
            .iter()
            .map(|c| NamedContainer {
                name: c.name.clone(),
                role: role(c),
            })
            .collect::<Vec<_>>()
    };
    let mut all = named(&spec.containers, |_| ContainerRole::Regular);
    all.extend(named(
        spec.init_containers.as_deref().unwrap_or_default(),
        |c| {
            if c.restart_policy.as_deref() == Some("Always") {
                ContainerRole::Sidecar
            } else {
                ContainerRole::Init
            }
        },
    ));
    all.extend(named(
        spec.ephemeral_containers.as_deref().unwrap_or_default(),
        |_| ContainerRole::Ephemeral,
    ));
    all
}

/// The containers a shell is offered in: regular ones, sidecars and
/// ephemeral ones, which run alongside each other. An init container that
/// runs to completion can still be named (`-c`), but is not offered.
pub fn shell_choices(pod: &Pod) -> Vec<NamedContainer> {
    all_containers(pod)
        .into_iter()
        .filter(|c| c.role != ContainerRole::Init)
        .collect()
}

/// kubectl's default: the container the `kubectl.kubernetes.io/default-container`
/// annotation names when the pod has one by that name, else the first regular one.
pub fn default_container(pod: &Pod) -> Option<String> {
    let regular: Vec<&str> = pod
        .spec
        .as_ref()
        .map(|s| s.containers.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    pod.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .filter(|name| all_containers(pod).iter().any(|c| &c.name == *name))
        .cloned()
        .or_else(|| regular.first().map(|name| name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: serde_json::Value) -> Pod {
        serde_json::from_value(yaml).expect("a pod")
    }

    fn api_pod(annotation: Option<&str>) -> Pod {
        let mut metadata = serde_json::json!({"name": "api-1", "namespace": "shop"});
        if let Some(name) = annotation {
            metadata["annotations"] =
                serde_json::json!({"kubectl.kubernetes.io/default-container": name});
        }
        pod(serde_json::json!({
            "metadata": metadata,
            "spec": {
                "containers": [{"name": "api"}, {"name": "metrics"}],
                "initContainers": [
                    {"name": "migrate"},
                    {"name": "log-shipper", "restartPolicy": "Always"}
                ],
                "ephemeralContainers": [{"name": "debugger-x7k"}]
            }
        }))
    }

    #[test]
    fn sidecars_and_ephemeral_containers_are_offered_plain_init_ones_are_not() {
        let labels: Vec<String> = shell_choices(&api_pod(None))
            .iter()
            .map(NamedContainer::label)
            .collect();
        assert_eq!(
            labels,
            [
                "api",
                "metrics",
                "log-shipper (sidecar)",
                "debugger-x7k (ephemeral)"
            ]
        );
        let all: Vec<String> = all_containers(&api_pod(None))
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(all.contains(&"migrate".to_string()));
    }

    #[test]
    fn the_default_is_the_annotated_container_when_it_exists_else_the_first() {
        assert_eq!(default_container(&api_pod(None)).as_deref(), Some("api"));
        assert_eq!(
            default_container(&api_pod(Some("log-shipper"))).as_deref(),
            Some("log-shipper")
        );
        assert_eq!(
            default_container(&api_pod(Some("gone"))).as_deref(),
            Some("api"),
            "an annotation naming no container is ignored"
        );
    }
}
