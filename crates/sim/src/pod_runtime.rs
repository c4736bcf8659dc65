//! What the simulated kubelets know about a pod's containers, for the streaming
//! subresources (`log`, `exec`, `portforward`): which container a request means,
//! whether its kubelet is reachable, and the state of its current and previous
//! runs. The checks run in the order the API server and the kubelet make them,
//! so that each failure is the Status a real cluster answers with.

use jiff::Timestamp;
use serde_json::Value;

use super::query::percent_decode;
use super::resources::Resource;
use super::status::Status;
use super::store::Store;

/// One container of a pod, as the kubelet running it sees it.
#[derive(Debug, Clone)]
pub struct Container {
    pub namespace: String,
    pub pod: String,
    pub pod_uid: String,
    pub name: String,
    pub image: String,
    /// `name=value` pairs of the literal `env` entries (not `valueFrom`).
    pub env: Vec<(String, String)>,
    /// Declared `containerPort`s of every container of the pod: a port-forward
    /// reaches the pod's network namespace, not one container.
    pub pod_ports: Vec<u16>,
    pub state: State,
    /// The run before the current one, when the kubelet still has it.
    pub last_run: Option<Run>,
}

/// The state of a container, from its `containerStatuses` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Running { started_at: Timestamp },
    Waiting { reason: String },
    Terminated(Run),
}

/// A finished run of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub exit_code: i64,
}

/// The pod `name` in `namespace` and its container `requested` (or its only
/// container), failing as the API server does for a missing pod, an ambiguous
/// or unknown container, and a node whose kubelet cannot be dialled.
/// `kubelet_url` renders the URL the API server would have dialled, for the
/// dial error's message.
pub fn resolve(
    store: &Store,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    requested: Option<&str>,
    kubelet_url: impl FnOnce(&str, &str) -> String,
) -> Result<Container, Status> {
    let pod = store
        .get(pods, namespace, name)
        .ok_or_else(|| Status::not_found(pods, name))?;
    let regular: Vec<&str> = names(&pod, "/spec/containers");
    let init: Vec<&str> = names(&pod, "/spec/initContainers");
    // Any container by name, ephemeral ones too, as the API server's
    // podHasContainerWithName visits them (pkg/registry/core/pod/strategy.go).
    let known = |wanted: &str| {
        regular.contains(&wanted)
            || init.contains(&wanted)
            || names(&pod, "/spec/ephemeralContainers").contains(&wanted)
    };
    let container_name = match requested.filter(|c| !c.is_empty()) {
        Some(requested) if known(requested) => requested,
        Some(requested) => {
            return Err(Status::bad_request(format!(
                "container {requested} is not valid for pod {name}"
            )));
        }
        None if regular.len() == 1 => regular[0],
        None if regular.is_empty() => {
            return Err(Status::bad_request(format!(
                "pod {name} does not have a container"
            )));
        }
        None => {
            let mut message = format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                regular.join(" ")
            );
            if !init.is_empty() {
                message.push_str(&format!(
                    " or one of the init containers: [{}]",
                    init.join(" ")
                ));
            }
            return Err(Status::bad_request(message));
        }
    };
    let node_name = text(&pod, "/spec/nodeName");
    if node_name.is_empty() {
        return Err(Status::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let node = super::resources::lookup("nodes").and_then(|nodes| store.get(nodes, "", node_name));
    let host = node.as_deref().map(internal_ip).unwrap_or_default();
    if !node.as_deref().is_some_and(is_ready) {
        // The node's kubelet is gone: the API server's dial fails (`wire/52`).
        let url = kubelet_url(&format!("{host}:10250"), container_name);
        return Err(Status::custom(
            500,
            "",
            format!("{url}: dial tcp {host}:10250: connect: connection refused"),
        ));
    }
    let named = |pointer| {
        pod.pointer(pointer)
            .and_then(Value::as_array)
            .and_then(|all| {
                all.iter()
                    .find(|c| c.get("name").and_then(Value::as_str) == Some(container_name))
            })
            .cloned()
    };
    let spec = named("/spec/containers")
        .or_else(|| named("/spec/initContainers"))
        .or_else(|| named("/spec/ephemeralContainers"))
        .unwrap_or_default();
    let status = named("/status/containerStatuses")
        .or_else(|| named("/status/initContainerStatuses"))
        .or_else(|| named("/status/ephemeralContainerStatuses"))
        .unwrap_or_default();
    Ok(Container {
        namespace: namespace.to_string(),
        pod: name.to_string(),
        pod_uid: text(&pod, "/metadata/uid").to_string(),
        name: container_name.to_string(),
        image: text(&spec, "/image").to_string(),
        env: env(&spec),
        pod_ports: containers(&pod).flat_map(ports).collect(),
        state: state(&status),
        last_run: status.pointer("/lastState/terminated").and_then(run),
    })
}

impl Container {
    /// The kubelet's refusal to serve a container that has not started, as
    /// `kubectl logs` prints it.
    pub fn waiting_error(&self) -> Option<Status> {
        match &self.state {
            State::Waiting { reason } if reason != "CrashLoopBackOff" => {
                let why = match reason.as_str() {
                    "ImagePullBackOff" | "ErrImagePull" => "trying and failing to pull image",
                    other => other,
                };
                Some(Status::bad_request(format!(
                    "container {:?} in pod {:?} is waiting to start: {why}",
                    self.name, self.pod
                )))
            }
            _ => None,
        }
    }
}

/// Every value of a repeated query parameter (`command=a&command=b`), in order;
/// `Query::get` keeps only the first, as Go's `url.Values.Get` does.
pub fn query_values(raw_query: &str, key: &str) -> Vec<String> {
    raw_query
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k)? == key).then(|| percent_decode(v))?
        })
        .collect()
}

fn names<'a>(pod: &'a Value, pointer: &str) -> Vec<&'a str> {
    pod.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect()
}

fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn time(object: &Value, pointer: &str) -> Option<Timestamp> {
    object.pointer(pointer)?.as_str()?.parse().ok()
}

fn is_ready(node: &Value) -> bool {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| text(c, "/type") == "Ready" && text(c, "/status") == "True")
}

fn internal_ip(node: &Value) -> String {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| text(a, "/type") == "InternalIP")
        .map(|a| text(a, "/address").to_string())
        .unwrap_or_default()
}

fn env(spec: &Value) -> Vec<(String, String)> {
    spec.get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let value = e.get("value")?.as_str()?;
            Some((text(e, "/name").to_string(), value.to_string()))
        })
        .collect()
}

fn ports(spec: &Value) -> Vec<u16> {
    spec.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| u16::try_from(p.get("containerPort")?.as_i64()?).ok())
        .collect()
}

fn run(terminated: &Value) -> Option<Run> {
    Some(Run {
        started_at: time(terminated, "/startedAt")?,
        finished_at: time(terminated, "/finishedAt")?,
        exit_code: terminated
            .get("exitCode")
            .and_then(Value::as_i64)
            .unwrap_or(0),
    })
}

fn state(status: &Value) -> State {
    if let Some(started_at) = time(status, "/state/running/startedAt") {
        return State::Running { started_at };
    }
    if let Some(finished) = status.pointer("/state/terminated").and_then(run) {
        return State::Terminated(finished);
    }
    // No status yet: the kubelet is still creating the container.
    let reason = status
        .pointer("/state/waiting/reason")
        .and_then(Value::as_str)
        .unwrap_or("ContainerCreating");
    State::Waiting {
        reason: reason.to_string(),
    }
}
