//! One container's log stream: read, and while following, resume after a
//! dropped connection from where it left off; wait for a container that has
//! not started yet and attach once it runs.

use std::time::Duration;

use futures::{AsyncBufRead, AsyncBufReadExt};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use kube::Api;
use kube::api::LogParams;
use tokio::sync::mpsc;

use super::LogEvent;
use super::resume::{Resume, split_timestamp};
use crate::model::log_buffer::LogSource;
use crate::model::log_view::StreamState;

/// What to read of one container.
#[derive(Clone)]
pub(super) struct StreamSpec {
    pub pods: Api<Pod>,
    pub source: LogSource,
    pub follow: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub previous: bool,
    /// Whether the user wants timestamps in the text (they are always
    /// requested: resuming needs them).
    pub timestamps: bool,
    pub retry: Duration,
}

/// What the kubelet reports of the container.
#[derive(Debug)]
enum Phase {
    Running,
    Waiting(String),
    Terminated,
    PodGone,
    /// The pod could not be read (the server is away).
    Unknown,
}

/// How a connection's body ended.
enum Outcome {
    Ended,
    Failed(String),
    /// The receiver went away: the view is closed.
    Closed,
}

/// Streams `spec`'s container into `events` until there is nothing more to
/// read or the receiver is dropped.
pub(super) async fn run(spec: StreamSpec, events: mpsc::Sender<LogEvent>) {
    let emit = Emitter {
        source: spec.source.clone(),
        events,
    };
    let mut resume = Resume::default();
    // After a drop while the container stopped, one last plain read collects
    // what it wrote before stopping.
    let mut follow = spec.follow;
    loop {
        if !emit.state(StreamState::Connecting).await {
            return;
        }
        let params = params(&spec, &resume, follow);
        resume.reconnect();
        let reason = match spec.pods.log_stream(&spec.source.pod, &params).await {
            Ok(body) => {
                if follow && !emit.state(StreamState::Following).await {
                    return;
                }
                match read(body, &mut resume, &emit, spec.timestamps, follow).await {
                    Outcome::Closed => return,
                    Outcome::Ended if !follow => {
                        emit.state(ended("")).await;
                        return;
                    }
                    Outcome::Ended => "stream ended".to_string(),
                    Outcome::Failed(error) if !follow => {
                        emit.error(error).await;
                        emit.state(ended("")).await;
                        return;
                    }
                    Outcome::Failed(error) => error,
                }
            }
            Err(kube::Error::Api(status)) if is_not_started(&status.message) => {
                if !wait_for_start(&spec, &emit).await {
                    return;
                }
                continue;
            }
            Err(kube::Error::Api(status)) if status.code == 404 => {
                emit.error(status.message).await;
                emit.state(ended("pod deleted")).await;
                return;
            }
            Err(error) if !follow || spec.previous => {
                emit.error(api_message(&error)).await;
                emit.state(ended("")).await;
                return;
            }
            Err(error) => api_message(&error),
        };
        if spec.previous {
            // A previous run does not go on; `kubectl logs -p -f` ends too.
            emit.state(ended("")).await;
            return;
        }
        match phase(&spec).await {
            Phase::Running | Phase::Unknown => {
                if !emit.state(StreamState::Reconnecting { reason }).await {
                    return;
                }
                tokio::time::sleep(spec.retry).await;
            }
            Phase::Waiting(_) => {
                if !wait_for_start(&spec, &emit).await {
                    return;
                }
            }
            Phase::Terminated if reason == "stream ended" => {
                emit.state(ended("container terminated")).await;
                return;
            }
            // Cut off before the end: read what is left once.
            Phase::Terminated => follow = false,
            Phase::PodGone => {
                emit.state(ended("pod deleted")).await;
                return;
            }
        }
    }
}

fn ended(reason: &str) -> StreamState {
    StreamState::Ended {
        reason: reason.to_string(),
    }
}

/// The request of a (re)connection: the user's options the first time, then
/// from the resume point on.
fn params(spec: &StreamSpec, resume: &Resume, follow: bool) -> LogParams {
    let mut params = LogParams {
        container: Some(spec.source.container.clone()),
        follow,
        previous: spec.previous,
        timestamps: true,
        ..LogParams::default()
    };
    match resume.since_time() {
        Some(since) => params.since_time = Some(since),
        None => {
            params.tail_lines = spec.tail_lines;
            params.since_seconds = spec.since_seconds;
        }
    }
    params
}

/// The kubelet's refusals for a container that cannot be read yet
/// (pkg/kubelet/kubelet_pods.go `validateContainerLogStatus`, and the API
/// server's check of `spec.nodeName` in pkg/registry/core/pod/strategy.go).
fn is_not_started(message: &str) -> bool {
    message.contains("is waiting to start") || message.contains("does not have a host assigned")
}

fn api_message(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) => status.message.clone(),
        other => other.to_string(),
    }
}

/// Reads lines until the body ends, sending the new ones.
async fn read(
    body: impl AsyncBufRead,
    resume: &mut Resume,
    emit: &Emitter,
    timestamps: bool,
    follow: bool,
) -> Outcome {
    let mut body = std::pin::pin!(body);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match body.read_until(b'\n', &mut buf).await {
            Ok(0) => return Outcome::Ended,
            Ok(_) => {
                let complete = buf.last() == Some(&b'\n');
                // A cut line will come back whole on the resumed stream.
                if !complete && follow {
                    return Outcome::Ended;
                }
                let raw = String::from_utf8_lossy(&buf);
                let line = raw.trim_end_matches('\n').trim_end_matches('\r');
                let (at, text) = split_timestamp(line);
                if let Some(at) = at
                    && !resume.accept(at, text)
                {
                    continue;
                }
                let text = if timestamps || at.is_none() {
                    line
                } else {
                    text
                };
                let event = LogEvent::Line {
                    source: emit.source.clone(),
                    timestamp: at,
                    text: text.to_string(),
                };
                if emit.events.send(event).await.is_err() {
                    return Outcome::Closed;
                }
            }
            Err(error) => return Outcome::Failed(error.to_string()),
        }
    }
}

/// Reports the wait and polls the pod until the container runs (true) or the
/// pod or the receiver is gone (false).
async fn wait_for_start(spec: &StreamSpec, emit: &Emitter) -> bool {
    let mut reported: Option<String> = None;
    loop {
        match phase(spec).await {
            Phase::Running | Phase::Terminated => return true,
            Phase::PodGone => {
                emit.state(ended("pod deleted")).await;
                return false;
            }
            Phase::Waiting(reason) => {
                if reported.as_deref() != Some(reason.as_str()) {
                    if !emit
                        .state(StreamState::Waiting {
                            reason: reason.clone(),
                        })
                        .await
                    {
                        return false;
                    }
                    reported = Some(reason);
                }
            }
            Phase::Unknown => {}
        }
        tokio::time::sleep(spec.retry).await;
    }
}

async fn phase(spec: &StreamSpec) -> Phase {
    match spec.pods.get(&spec.source.pod).await {
        Ok(pod) => container_phase(&pod, &spec.source.container),
        Err(kube::Error::Api(status)) if status.code == 404 => Phase::PodGone,
        Err(_) => Phase::Unknown,
    }
}

fn container_phase(pod: &Pod, container: &str) -> Phase {
    let status = pod.status.as_ref();
    let found = status.into_iter().flat_map(|s| {
        let lists: [&Option<Vec<ContainerStatus>>; 3] = [
            &s.container_statuses,
            &s.init_container_statuses,
            &s.ephemeral_container_statuses,
        ];
        lists.into_iter().flatten().flatten()
    });
    let state = found
        .filter(|s| s.name == container)
        .find_map(|s| s.state.clone());
    match state {
        Some(state) if state.running.is_some() => Phase::Running,
        Some(state) if state.terminated.is_some() => Phase::Terminated,
        Some(state) => Phase::Waiting(state.waiting.and_then(|w| w.reason).unwrap_or_default()),
        None => {
            let phase = status.and_then(|s| s.phase.as_deref());
            if matches!(phase, Some("Succeeded" | "Failed")) {
                Phase::Terminated
            } else {
                Phase::Waiting(String::new())
            }
        }
    }
}

/// Sends one source's events; false once the receiver is gone.
struct Emitter {
    source: LogSource,
    events: mpsc::Sender<LogEvent>,
}

impl Emitter {
    async fn state(&self, state: StreamState) -> bool {
        let event = LogEvent::State {
            source: self.source.clone(),
            state,
        };
        self.events.send(event).await.is_ok()
    }

    async fn error(&self, message: String) -> bool {
        let event = LogEvent::Error {
            source: Some(self.source.clone()),
            message,
        };
        self.events.send(event).await.is_ok()
    }
}
