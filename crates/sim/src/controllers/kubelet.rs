//! The kubelet of every Ready node (a NotReady node's kubelet is gone, so its
//! pods are left as they are): it starts bound pods (ContainerCreating after
//! about a second, Running and Ready after about three), keeps crash-looping
//! containers crash-looping with Kubernetes' restart backoff, and stops the
//! containers of pods being deleted.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};

use super::Pass;
use super::events::{self, Occurrence};
use super::fields::{self, set_condition, stamp, status_mut};

const CREATING_AFTER: SignedDuration = SignedDuration::from_secs(1);
const RUNNING_AFTER: SignedDuration = SignedDuration::from_secs(3);
/// How long a crash-looping container runs before it fails again.
const CRASH_AFTER: SignedDuration = SignedDuration::from_secs(2);
const BACKOFF_START: i64 = 10;
const BACKOFF_CAP: i64 = 300;

pub fn run(pass: &mut Pass<'_>) {
    let nodes = pass.list("nodes");
    let pods = pass.list("pods");
    for node in nodes
        .iter()
        .filter(|n| fields::condition_is_true(n, "Ready"))
    {
        let node_name = fields::name(node);
        let mut on_node: Vec<&Value> = pods
            .iter()
            .filter(|p| fields::node_name(p) == node_name && !fields::is_terminal(p))
            .collect();
        on_node.sort_by_key(|p| (fields::namespace(p), fields::name(p)));
        let mut addresses = PodAddresses::new(node, &on_node);
        for pod in on_node {
            if fields::is_terminating(pod) {
                stop(pass, pod, node_name);
            } else if !has_started(pod) {
                start(pass, pod, node, &mut addresses);
            } else {
                crash_loop(pass, pod, node_name);
            }
        }
    }
}

/// Pod IPs from the node's 10.244.N.0/24 range, the lowest free one first.
struct PodAddresses {
    prefix: String,
    taken: BTreeSet<String>,
}

impl PodAddresses {
    fn new(node: &Value, pods: &[&Value]) -> PodAddresses {
        let cidr = fields::text(node, "/spec/podCIDR").unwrap_or("10.244.0.0/24");
        let prefix = cidr.rsplit_once('.').map_or("10.244.0", |(head, _)| head);
        PodAddresses {
            prefix: prefix.to_string(),
            taken: pods
                .iter()
                .filter_map(|p| fields::text(p, "/status/podIP"))
                .map(str::to_string)
                .collect(),
        }
    }

    fn next(&mut self) -> String {
        for host in 2..=254 {
            let candidate = format!("{}.{host}", self.prefix);
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        format!("{}.254", self.prefix)
    }
}

fn containers(pod: &Value) -> Vec<(String, String)> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            let text = |field: &str| fields::text(c, field).unwrap_or_default().to_string();
            (text("/name"), text("/image"))
        })
        .collect()
}

fn container_statuses(pod: &Value) -> &[Value] {
    pod.pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether the containers ran at least once (running, or crashed since).
fn has_started(pod: &Value) -> bool {
    let statuses = container_statuses(pod);
    !statuses.is_empty()
        && statuses.iter().all(|s| {
            s.pointer("/state/waiting/reason").and_then(Value::as_str) != Some("ContainerCreating")
        })
}

/// When the kubelet first saw the pod bound: the PodScheduled transition, or
/// its creation for pods that arrived bound.
fn bound_at(pod: &Value) -> Option<Timestamp> {
    fields::condition(pod, "PodScheduled")
        .filter(|c| c.get("status").and_then(Value::as_str) == Some("True"))
        .and_then(|c| fields::time(c, "/lastTransitionTime"))
        .or_else(|| fields::time(pod, "/metadata/creationTimestamp"))
}

fn start(pass: &mut Pass<'_>, pod: &Value, node: &Value, addresses: &mut PodAddresses) {
    let now = pass.now;
    let Some(bound) = bound_at(pod) else { return };
    let elapsed = now.duration_since(bound);
    if elapsed < CREATING_AFTER {
        return;
    }
    let running = elapsed >= RUNNING_AFTER;
    let creating_already = !container_statuses(pod).is_empty();
    if !running && creating_already {
        return;
    }
    let host_ip = node_internal_ip(node);
    let pod_ip = match fields::text(pod, "/status/podIP") {
        Some(ip) => ip.to_string(),
        None => addresses.next(),
    };
    let specs = containers(pod);
    let updated = pass.update("pods", fields::namespace(pod), fields::name(pod), |pod| {
        let Some(status) = status_mut(pod) else {
            return;
        };
        status.insert(
            "phase".into(),
            json!(if running { "Running" } else { "Pending" }),
        );
        status.insert("hostIP".into(), json!(host_ip));
        status.insert("hostIPs".into(), json!([{"ip": host_ip}]));
        status.insert("podIP".into(), json!(pod_ip));
        status.insert("podIPs".into(), json!([{"ip": pod_ip}]));
        status
            .entry("startTime")
            .or_insert_with(|| json!(stamp(now)));
        let statuses: Vec<Value> = specs
            .iter()
            .map(|(name, image)| {
                let state = if running {
                    json!({"running": {"startedAt": stamp(now)}})
                } else {
                    json!({"waiting": {"reason": "ContainerCreating"}})
                };
                json!({
                    "name": name,
                    "image": image,
                    "imageID": "",
                    "ready": running,
                    "started": running,
                    "restartCount": 0,
                    "state": state,
                })
            })
            .collect();
        status.insert("containerStatuses".into(), Value::Array(statuses));
        let (value, reason) = if running {
            ("True", "")
        } else {
            ("False", "ContainersNotReady")
        };
        set_condition(
            status,
            "PodReadyToStartContainers",
            if running { "True" } else { "False" },
            "",
            "",
            now,
        );
        set_condition(status, "Initialized", "True", "", "", now);
        set_condition(status, "ContainersReady", value, reason, "", now);
        set_condition(status, "Ready", value, reason, "", now);
    });
    if let (true, Some(updated)) = (running, updated) {
        let node_name = fields::name(node).to_string();
        for (name, image) in &specs {
            announce_start(pass, &updated, &node_name, name, image);
        }
    }
}

fn node_internal_ip(node: &Value) -> String {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| a.get("type").and_then(Value::as_str) == Some("InternalIP"))
        .and_then(|a| a.get("address"))
        .and_then(Value::as_str)
        .unwrap_or("10.0.0.1")
        .to_string()
}

fn announce_start(pass: &mut Pass<'_>, pod: &Value, node: &str, container: &str, image: &str) {
    let source = events::kubelet(node);
    let said = [
        (
            "Pulled",
            format!("Container image \"{image}\" already present on machine"),
        ),
        ("Created", format!("Created container: {container}")),
        ("Started", format!("Started container {container}")),
    ];
    for (reason, message) in said {
        events::record(
            pass,
            pod,
            &source,
            Occurrence::normal(reason, message).for_container(container),
        );
    }
}

/// A container that crashed before: waiting in CrashLoopBackOff, or last
/// terminated with a non-zero exit code.
fn is_crash_looping(status: &Value) -> bool {
    let waiting = status
        .pointer("/state/waiting/reason")
        .and_then(Value::as_str);
    let last_exit = status
        .pointer("/lastState/terminated/exitCode")
        .and_then(Value::as_i64);
    waiting == Some("CrashLoopBackOff") || last_exit.is_some_and(|code| code != 0)
}

/// The kubelet's restart backoff after `restarts` restarts: 10 s, doubling,
/// capped at five minutes.
fn backoff(restarts: i64) -> SignedDuration {
    let exponent = restarts.saturating_sub(1).clamp(0, 16) as u32;
    SignedDuration::from_secs((BACKOFF_START << exponent).min(BACKOFF_CAP))
}

/// What a crash-looping container does at `now`.
enum Step {
    /// Back-off over: start it again.
    Restart,
    /// It ran its while and failed: back to CrashLoopBackOff.
    Crash,
    Wait,
}

fn crash_step(status: &Value, now: Timestamp) -> Step {
    if !is_crash_looping(status) {
        return Step::Wait;
    }
    let restarts = status
        .get("restartCount")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if let Some(started) = fields::time(status, "/state/running/startedAt") {
        return if now.duration_since(started) >= CRASH_AFTER {
            Step::Crash
        } else {
            Step::Wait
        };
    }
    let finished = fields::time(status, "/lastState/terminated/finishedAt");
    let due = finished.is_none_or(|at| now.duration_since(at) >= backoff(restarts));
    if due { Step::Restart } else { Step::Wait }
}

fn crash_loop(pass: &mut Pass<'_>, pod: &Value, node: &str) {
    let now = pass.now;
    let steps: Vec<(String, String, Step)> = container_statuses(pod)
        .iter()
        .map(|s| {
            let text = |f: &str| fields::text(s, f).unwrap_or_default().to_string();
            (text("/name"), text("/image"), crash_step(s, now))
        })
        .filter(|(_, _, step)| !matches!(step, Step::Wait))
        .collect();
    if steps.is_empty() {
        return;
    }
    let updated = pass.update("pods", fields::namespace(pod), fields::name(pod), |pod| {
        let Some(status) = status_mut(pod) else {
            return;
        };
        if let Some(Value::Array(statuses)) = status.get_mut("containerStatuses") {
            for container in statuses.iter_mut() {
                let name = fields::text(container, "/name")
                    .unwrap_or_default()
                    .to_string();
                if let Some((_, _, step)) = steps.iter().find(|(n, _, _)| *n == name)
                    && let Some(container) = container.as_object_mut()
                {
                    apply_step(container, step, &name, now);
                }
            }
        }
        let all_ready = status
            .get("containerStatuses")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().all(|c| c.get("ready") == Some(&json!(true))));
        let (value, reason) = if all_ready {
            ("True", "")
        } else {
            ("False", "ContainersNotReady")
        };
        set_condition(status, "ContainersReady", value, reason, "", now);
        set_condition(status, "Ready", value, reason, "", now);
    });
    let Some(updated) = updated else { return };
    for (name, image, step) in &steps {
        match step {
            Step::Restart => announce_start(pass, &updated, node, name, image),
            Step::Crash => {
                let message = format!(
                    "Back-off restarting failed container {name} in pod {}_{}({})",
                    fields::name(&updated),
                    fields::namespace(&updated),
                    fields::uid(&updated)
                );
                let source = events::kubelet(node);
                events::record(
                    pass,
                    &updated,
                    &source,
                    Occurrence::warning("BackOff", message).for_container(name),
                );
            }
            Step::Wait => {}
        }
    }
}

fn apply_step(container: &mut Map<String, Value>, step: &Step, name: &str, now: Timestamp) {
    match step {
        Step::Restart => {
            let restarts = container
                .get("restartCount")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            container.insert("restartCount".into(), json!(restarts + 1));
            container.insert(
                "lastState".into(),
                json!({"terminated": {
                    "exitCode": 1,
                    "reason": "Error",
                    "startedAt": stamp(now.checked_sub(CRASH_AFTER).unwrap_or(now)),
                    "finishedAt": stamp(now),
                    "containerID": format!("containerd://{name}"),
                }}),
            );
            container.insert(
                "state".into(),
                json!({"running": {"startedAt": stamp(now)}}),
            );
            container.insert("ready".into(), json!(true));
            container.insert("started".into(), json!(true));
        }
        Step::Crash => {
            let message = format!(
                "back-off {} restarting failed container={name}",
                format_backoff(backoff(
                    container
                        .get("restartCount")
                        .and_then(Value::as_i64)
                        .unwrap_or(0)
                ))
            );
            container.insert(
                "state".into(),
                json!({"waiting": {"reason": "CrashLoopBackOff", "message": message}}),
            );
            container.insert("ready".into(), json!(false));
            container.insert("started".into(), json!(false));
        }
        Step::Wait => {}
    }
}

/// Go's `time.Duration` printing for whole seconds: `10s`, `1m20s`, `5m0s`.
fn format_backoff(delay: SignedDuration) -> String {
    let seconds = delay.as_secs();
    if seconds < 60 {
        format!("{seconds}s")
    } else {
        format!("{}m{}s", seconds / 60, seconds % 60)
    }
}

/// Graceful termination: the containers are told to stop (Killing) and the
/// pod stops being Ready; at the deadline they are terminated, and
/// `finalize_deletions` removes the pod.
fn stop(pass: &mut Pass<'_>, pod: &Value, node: &str) {
    let now = pass.now;
    let Some(deadline) = fields::time(pod, "/metadata/deletionTimestamp") else {
        return;
    };
    let was_ready = fields::is_pod_ready(pod);
    let past_deadline = deadline <= now;
    if !was_ready && !past_deadline {
        return;
    }
    let updated = pass.update("pods", fields::namespace(pod), fields::name(pod), |pod| {
        let Some(status) = status_mut(pod) else {
            return;
        };
        if let Some(Value::Array(statuses)) = status.get_mut("containerStatuses") {
            for container in statuses.iter_mut().filter_map(Value::as_object_mut) {
                container.insert("ready".into(), json!(false));
                if past_deadline {
                    let started = container
                        .get("state")
                        .and_then(|s| s.pointer("/running/startedAt"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    container.insert(
                        "state".into(),
                        json!({"terminated": {
                            "exitCode": 0,
                            "reason": "Completed",
                            "startedAt": started,
                            "finishedAt": stamp(deadline),
                        }}),
                    );
                    container.insert("started".into(), json!(false));
                }
            }
        }
        set_condition(
            status,
            "ContainersReady",
            "False",
            "ContainersNotReady",
            "",
            now,
        );
        set_condition(status, "Ready", "False", "ContainersNotReady", "", now);
    });
    if let (true, Some(updated)) = (was_ready, updated) {
        let source = events::kubelet(node);
        for (name, _) in containers(&updated) {
            let message = format!("Stopping container {name}");
            events::record(
                pass,
                &updated,
                &source,
                Occurrence::normal("Killing", message).for_container(&name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_up_to_five_minutes() {
        let secs: Vec<i64> = (0..8).map(|r| backoff(r).as_secs()).collect();
        assert_eq!(secs, [10, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(format_backoff(backoff(7)), "5m0s");
    }
}
