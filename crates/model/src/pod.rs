//! The pod columns kubectl prints (READY, STATUS, RESTARTS), ported from kubectl's
//! `printPod` so that every state reads exactly as `kubectl get pods` shows it.

use crate::cluster::pod::{Container, ContainerStatus, Pod, PodStatus};
use jiff::Timestamp;

use super::age::age_since;

/// The status-derived columns of one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    pub ready: u32,
    pub total: u32,
    pub status: String,
    pub restarts: u32,
    /// When the most recently restarted container last terminated; drives the
    /// "(5m ago)" suffix of RESTARTS.
    pub last_restart: Option<Timestamp>,
}

/// How a STATUS should look: the semantic role a theme colours it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Health {
    /// Running and fully ready.
    Healthy,
    /// On its way or partially there: Pending, ContainerCreating, Init:N/M,
    /// Terminating, not all containers ready.
    Progressing,
    /// Finished successfully; nothing to look at.
    Done,
    /// Failing: back-offs, errors, evictions, lost nodes.
    Failing,
}

const NODE_UNREACHABLE_POD_REASON: &str = "NodeLost";

fn is_restartable_init(container: Option<&Container>) -> bool {
    container.is_some_and(|c| c.restart_policy.as_deref() == Some("Always"))
}

fn condition_true(status: &PodStatus, kind: &str) -> bool {
    status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == kind && c.status == "True")
}

fn last_termination(status: &ContainerStatus) -> Option<Timestamp> {
    status
        .last_state
        .as_ref()?
        .terminated
        .as_ref()?
        .finished_at
        .as_ref()
        .map(|t| t.0)
}

fn later(current: Option<Timestamp>, candidate: Option<Timestamp>) -> Option<Timestamp> {
    match (current, candidate) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// kubectl's `printPod`, cell for cell.
pub fn summarize(pod: &Pod) -> PodSummary {
    let empty_status = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&empty_status);
    let spec = pod.spec.as_ref();
    let init_specs: &[Container] = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let init_spec = |name: &str| init_specs.iter().find(|c| c.name == name);

    let mut restarts: u32 = 0;
    let mut sidecar_restarts: u32 = 0;
    let mut total = spec.map_or(0, |s| s.containers.len()) as u32;
    let mut ready: u32 = 0;
    let mut last_restart: Option<Timestamp> = None;
    let mut last_sidecar_restart: Option<Timestamp> = None;

    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| phase.clone());
    if status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    total += init_specs
        .iter()
        .filter(|c| is_restartable_init(Some(c)))
        .count() as u32;

    let mut initializing = false;
    let init_statuses = status.init_container_statuses.as_deref().unwrap_or(&[]);
    for (i, container) in init_statuses.iter().enumerate() {
        let restartable = is_restartable_init(init_spec(&container.name));
        restarts += container.restart_count.max(0) as u32;
        last_restart = later(last_restart, last_termination(container));
        if restartable {
            sidecar_restarts += container.restart_count.max(0) as u32;
            last_sidecar_restart = later(last_sidecar_restart, last_termination(container));
        }
        let state = container.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && container.started == Some(true) {
            if container.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t.signal.unwrap_or(0))
                }
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(status, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for container in status.container_statuses.iter().flatten().rev() {
            restarts += container.restart_count.max(0) as u32;
            last_restart = later(last_restart, last_termination(container));
            let state = container.state.as_ref();
            let waiting_reason = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting_reason {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if container.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(status, "Ready") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    if deleting && status.reason.as_deref() == Some(NODE_UNREACHABLE_POD_REASON) {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    PodSummary {
        ready,
        total,
        status: reason,
        restarts,
        last_restart,
    }
}

/// RESTARTS as kubectl prints it: `7 (5m ago)`, or just the count.
pub fn format_restarts(restarts: u32, last_restart: Option<Timestamp>, now: Timestamp) -> String {
    match last_restart {
        Some(at) if restarts != 0 => format!("{restarts} ({} ago)", age_since(Some(at), now)),
        _ => restarts.to_string(),
    }
}

impl PodSummary {
    pub fn health(&self) -> Health {
        match self.status.as_str() {
            "Running" if self.ready == self.total => Health::Healthy,
            "Running" | "NotReady" | "Pending" | "ContainerCreating" | "PodInitializing"
            | "Terminating" | "SchedulingGated" => Health::Progressing,
            "Completed" | "Succeeded" => Health::Done,
            s if s.starts_with("Init:")
                && s[5..].split('/').count() == 2
                && s[5..].split('/').all(|n| n.parse::<u32>().is_ok()) =>
            {
                Health::Progressing
            }
            _ => Health::Failing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).expect("test pod must deserialize")
    }

    fn status_of(value: serde_json::Value) -> String {
        summarize(&pod(value)).status
    }

    fn running(name: &str) -> serde_json::Value {
        json!({"name": name, "image": "x", "imageID": "", "ready": true, "restartCount": 0,
               "state": {"running": {"startedAt": "2026-11-23T11:00:00Z"}}})
    }

    #[test]
    fn running_and_ready() {
        let p = pod(json!({
            "metadata": {"name": "a"},
            "spec": {"containers": [{"name": "app"}, {"name": "proxy"}]},
            "status": {"phase": "Running", "containerStatuses": [running("app"), running("proxy")]}
        }));
        let s = summarize(&p);
        assert_eq!((s.ready, s.total, s.status.as_str()), (2, 2, "Running"));
        assert_eq!(s.health(), Health::Healthy);
    }

    #[test]
    fn waiting_reasons_win_and_earlier_containers_override_later_ones() {
        let status = status_of(json!({
            "metadata": {"name": "a"},
            "spec": {"containers": [{"name": "app"}, {"name": "proxy"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "app", "image": "x", "imageID": "", "ready": false, "restartCount": 7,
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
                {"name": "proxy", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ImagePullBackOff"}}}
            ]}
        }));
        assert_eq!(status, "CrashLoopBackOff");
    }

    #[test]
    fn terminated_without_reason_prints_exit_code_or_signal() {
        let make = |terminated: serde_json::Value| {
            status_of(json!({
                "metadata": {"name": "a"},
                "spec": {"containers": [{"name": "app"}]},
                "status": {"phase": "Running", "containerStatuses": [
                    {"name": "app", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                     "state": {"terminated": terminated}}]}
            }))
        };
        assert_eq!(make(json!({"exitCode": 3})), "ExitCode:3");
        assert_eq!(make(json!({"exitCode": 137, "signal": 9})), "Signal:9");
        assert_eq!(
            make(json!({"exitCode": 137, "reason": "OOMKilled"})),
            "OOMKilled"
        );
    }

    #[test]
    fn init_containers() {
        let base = |init_statuses: serde_json::Value, conditions: serde_json::Value| {
            status_of(json!({
                "metadata": {"name": "a"},
                "spec": {"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "app"}]},
                "status": {"phase": "Pending", "conditions": conditions, "initContainerStatuses": init_statuses,
                    "containerStatuses": [{"name": "app", "image": "x", "imageID": "", "ready": false,
                        "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}
            }))
        };
        let st = |name: &str, state: serde_json::Value| json!({"name": name, "image": "x", "imageID": "", "ready": false, "restartCount": 0, "state": state});
        let done = json!({"terminated": {"exitCode": 0, "reason": "Completed"}});
        assert_eq!(
            base(
                json!([
                    st("i1", json!({"running": {}})),
                    st("i2", json!({"waiting": {"reason": "PodInitializing"}}))
                ]),
                json!([])
            ),
            "Init:0/2"
        );
        assert_eq!(
            base(
                json!([st("i1", done.clone()), st("i2", json!({"running": {}}))]),
                json!([])
            ),
            "Init:1/2"
        );
        assert_eq!(
            base(
                json!([st("i1", json!({"waiting": {"reason": "CrashLoopBackOff"}}))]),
                json!([])
            ),
            "Init:CrashLoopBackOff"
        );
        assert_eq!(
            base(
                json!([st("i1", json!({"terminated": {"exitCode": 2}}))]),
                json!([])
            ),
            "Init:ExitCode:2"
        );
        assert_eq!(
            base(
                json!([st(
                    "i1",
                    json!({"terminated": {"exitCode": 2, "signal": 15}})
                )]),
                json!([])
            ),
            "Init:Signal:15"
        );
        assert_eq!(
            base(
                json!([st(
                    "i1",
                    json!({"terminated": {"exitCode": 1, "reason": "Error"}})
                )]),
                json!([])
            ),
            "Init:Error"
        );
        assert_eq!(
            base(
                json!([st("i1", done.clone()), st("i2", done)]),
                json!([{"type": "Initialized", "status": "True"}])
            ),
            "PodInitializing"
        );
    }

    #[test]
    fn running_sidecar_counts_towards_ready_and_total() {
        let p = pod(json!({
            "metadata": {"name": "a"},
            "spec": {"initContainers": [{"name": "shipper", "restartPolicy": "Always"}], "containers": [{"name": "app"}]},
            "status": {"phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
                "initContainerStatuses": [{"name": "shipper", "image": "x", "imageID": "", "ready": true,
                    "started": true, "restartCount": 1,
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-23T11:50:00Z"}},
                    "state": {"running": {}}}],
                "containerStatuses": [running("app")]}
        }));
        let s = summarize(&p);
        assert_eq!(
            (s.ready, s.total, s.status.as_str(), s.restarts),
            (2, 2, "Running", 1)
        );
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        assert_eq!(
            format_restarts(s.restarts, s.last_restart, now),
            "1 (10m ago)"
        );
    }

    #[test]
    fn completed_with_a_running_container_is_running_or_not_ready() {
        let make = |ready_condition: &str| {
            status_of(json!({
                "metadata": {"name": "a"},
                "spec": {"containers": [{"name": "app"}, {"name": "job"}]},
                "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": ready_condition}],
                    "containerStatuses": [running("app"),
                        {"name": "job", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                         "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
            }))
        };
        assert_eq!(make("True"), "Running");
        assert_eq!(make("False"), "NotReady");
    }

    #[test]
    fn pod_level_reasons() {
        assert_eq!(
            status_of(
                json!({"metadata": {"name": "a"}, "spec": {"containers": [{"name": "c"}]},
                "status": {"phase": "Failed", "reason": "Evicted"}})
            ),
            "Evicted"
        );
        assert_eq!(
            status_of(
                json!({"metadata": {"name": "a"}, "spec": {"containers": [{"name": "c"}]},
                "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}})
            ),
            "SchedulingGated"
        );
        assert_eq!(
            status_of(
                json!({"metadata": {"name": "a", "deletionTimestamp": "2026-11-23T11:59:00Z"},
                "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Running", "reason": "NodeLost"}})
            ),
            "Unknown"
        );
        assert_eq!(
            status_of(
                json!({"metadata": {"name": "a", "deletionTimestamp": "2026-11-23T11:59:00Z"},
                "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Running", "containerStatuses": [running("c")]}})
            ),
            "Terminating"
        );
        // A finished pod being deleted keeps its final status.
        assert_eq!(
            status_of(
                json!({"metadata": {"name": "a", "deletionTimestamp": "2026-11-23T11:59:00Z"},
                "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Succeeded", "containerStatuses": [
                    {"name": "c", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                     "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}})
            ),
            "Completed"
        );
        assert_eq!(status_of(json!({"metadata": {"name": "a"}})), "");
    }

    #[test]
    fn restarts_only_count_regular_containers_once_initialised() {
        let p = pod(json!({
            "metadata": {"name": "a"},
            "spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [{"name": "init", "image": "x", "imageID": "", "ready": false, "restartCount": 4,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
                "containerStatuses": [{"name": "app", "image": "x", "imageID": "", "ready": false, "restartCount": 7,
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-23T11:55:00Z"}},
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
        }));
        let s = summarize(&p);
        assert_eq!(s.restarts, 7);
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        assert_eq!(
            format_restarts(s.restarts, s.last_restart, now),
            "7 (5m ago)"
        );
        assert_eq!(format_restarts(0, None, now), "0");
        assert_eq!(s.health(), Health::Failing);
    }
}
