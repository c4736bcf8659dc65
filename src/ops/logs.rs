//! Container logs through `pods/log` (kube-rs `Api::log_stream`, never
//! kubectl): of chosen pods or of every pod a label selector matches (a
//! workload's pods, new ones joining as they appear), one stream per
//! container, each resuming after a dropped connection without repeating or
//! losing lines and waiting for containers that have not started. Events go
//! to the UI loop through a channel; the view model lives in
//! `model::log_buffer` and `model::log_view`.

mod resume;
mod stream;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};

use crate::model::log_buffer::{LogBuffer, LogSource};
use crate::model::log_view::{LogViewOptions, StreamState};
use stream::StreamSpec;

/// Which pods to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    /// These `(namespace, pod)`s.
    Pods(Vec<(String, String)>),
    /// Every pod of `namespace` matching a label selector string (a
    /// workload's: `model::log_view::selector_of_workload`), watched so that
    /// pods created later join and deleted ones leave.
    Selector { namespace: String, selector: String },
}

/// Which containers of each pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerChoice {
    /// This container (pods without it are skipped in aggregated logs).
    One(String),
    /// The `kubectl.kubernetes.io/default-container` annotation's, else the
    /// first container, as kubectl defaults.
    Default,
    /// Init, regular and ephemeral containers, as `kubectl logs --all-containers`.
    All,
}

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct LogRequest {
    pub target: LogTarget,
    pub container: ContainerChoice,
    pub follow: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub previous: bool,
    /// Keep the server's timestamp in each line's text (it is always parsed
    /// into [`LogEvent::Line::timestamp`]).
    pub timestamps: bool,
    /// Pause between reconnects and between polls of a waiting container.
    pub retry: Duration,
}

impl LogRequest {
    /// Followed logs of `target`'s default containers, from the start.
    pub fn new(target: LogTarget) -> LogRequest {
        LogRequest {
            target,
            container: ContainerChoice::Default,
            follow: true,
            tail_lines: None,
            since_seconds: None,
            previous: false,
            timestamps: false,
            retry: Duration::from_secs(1),
        }
    }
}

/// What the log task reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    /// A line, without its timestamp prefix unless the user asked for it.
    Line {
        source: LogSource,
        timestamp: Option<Timestamp>,
        text: String,
    },
    /// A stream changed state.
    State {
        source: LogSource,
        state: StreamState,
    },
    /// A failure, of one stream or (`None`) of the whole request.
    Error {
        source: Option<LogSource>,
        message: String,
    },
}

/// The running log task; dropping or cancelling it stops every stream.
#[derive(Debug)]
pub struct LogHandle {
    task: tokio::task::JoinHandle<()>,
}

impl LogHandle {
    /// Stops every stream.
    pub fn cancel(&self) {
        self.task.abort();
    }

    /// Whether every stream has ended.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Drop for LogHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts reading logs on the current tokio runtime. The channel bounds how
/// far the streams run ahead of the UI.
pub fn start_logs(
    client: kube::Client,
    request: LogRequest,
    events: mpsc::Sender<LogEvent>,
) -> LogHandle {
    let task = tokio::spawn(async move {
        match request.target.clone() {
            LogTarget::Pods(pods) => read_pods(client, &request, pods, events).await,
            LogTarget::Selector {
                namespace,
                selector,
            } => read_selector(client, &request, &namespace, &selector, events).await,
        }
    });
    LogHandle { task }
}

async fn read_pods(
    client: kube::Client,
    request: &LogRequest,
    pods: Vec<(String, String)>,
    events: mpsc::Sender<LogEvent>,
) {
    let mut streams = JoinSet::new();
    for (namespace, name) in pods {
        let api: Api<Pod> = Api::namespaced(client.clone(), &namespace);
        let containers = match &request.container {
            ContainerChoice::One(container) => vec![container.clone()],
            choice => match api.get(&name).await {
                Ok(pod) => containers_of(&pod, choice),
                Err(error) => {
                    let message = match error {
                        kube::Error::Api(status) => status.message,
                        other => other.to_string(),
                    };
                    let _ = events
                        .send(LogEvent::Error {
                            source: None,
                            message,
                        })
                        .await;
                    continue;
                }
            },
        };
        for container in containers {
            let source = LogSource::new(&namespace, &name, container);
            streams.spawn(stream::run(
                spec(request, &api, source, true),
                events.clone(),
            ));
        }
    }
    while streams.join_next().await.is_some() {}
}

fn spec(request: &LogRequest, pods: &Api<Pod>, source: LogSource, initial: bool) -> StreamSpec {
    StreamSpec {
        pods: pods.clone(),
        source,
        follow: request.follow,
        // A pod that appears after the view opened is read from its start:
        // all of its lines are new to the user.
        tail_lines: request.tail_lines.filter(|_| initial),
        since_seconds: request.since_seconds.filter(|_| initial),
        previous: request.previous,
        timestamps: request.timestamps,
        retry: request.retry,
    }
}

/// The containers of `pod` a choice names, in kubectl's order (init,
/// regular, ephemeral).
fn containers_of(pod: &Pod, choice: &ContainerChoice) -> Vec<String> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let regular = spec.containers.iter().map(|c| c.name.clone());
    match choice {
        ContainerChoice::One(name) => {
            let all = all_containers(pod);
            all.into_iter().filter(|c| c == name).take(1).collect()
        }
        ContainerChoice::Default => {
            // kubectl/pkg/cmd/util/podcmd/podcmd.go: the annotation names the
            // default container when it exists, else the first one.
            let annotated = pod
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
                .filter(|name| spec.containers.iter().any(|c| &c.name == *name));
            match annotated {
                Some(name) => vec![name.clone()],
                None => regular.take(1).collect(),
            }
        }
        ContainerChoice::All => all_containers(pod),
    }
}

fn all_containers(pod: &Pod) -> Vec<String> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| c.name.clone());
    let regular = spec.containers.iter().map(|c| c.name.clone());
    let ephemeral = spec
        .ephemeral_containers
        .iter()
        .flatten()
        .map(|c| c.name.clone());
    init.chain(regular).chain(ephemeral).collect()
}

/// The streams of one pod, by uid: a pod recreated under the same name (a
/// StatefulSet's) is a new pod with new logs.
struct PodStreams {
    uid: String,
    streams: Vec<(LogSource, AbortHandle)>,
}

async fn read_selector(
    client: kube::Client,
    request: &LogRequest,
    namespace: &str,
    selector: &str,
    events: mpsc::Sender<LogEvent>,
) {
    let api: Api<Pod> = Api::namespaced(client, namespace);
    let config = watcher::Config::default().labels(selector);
    let mut watch = watcher::watcher(api.clone(), config)
        .default_backoff()
        .boxed();
    let mut tasks = JoinSet::new();
    let mut open: HashMap<String, PodStreams> = HashMap::new();
    let mut relisted: Option<HashSet<String>> = None;
    // Pods of the first list are read with the user's tail/since; later ones
    // from their start.
    let mut initial = true;
    loop {
        let event = tokio::select! {
            event = watch.next() => event,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
        };
        let Some(event) = event else { return };
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                let message = format!("watching pods ({selector}): {error}");
                if events
                    .send(LogEvent::Error {
                        source: None,
                        message,
                    })
                    .await
                    .is_err()
                {
                    return;
                }
                continue;
            }
        };
        match event {
            Event::Init => relisted = Some(HashSet::new()),
            Event::InitApply(pod) | Event::Apply(pod) => {
                let Some(name) = pod.metadata.name.clone() else {
                    continue;
                };
                if let Some(seen) = relisted.as_mut() {
                    seen.insert(name.clone());
                }
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                if open.get(&name).is_some_and(|p| p.uid == uid) {
                    continue;
                }
                if let Some(old) = open.remove(&name)
                    && !stop(old, &events).await
                {
                    return;
                }
                let mut streams = Vec::new();
                for container in containers_of(&pod, &request.container) {
                    let source = LogSource::new(namespace, &name, container);
                    let spec = spec(request, &api, source.clone(), initial);
                    let handle = tasks.spawn(stream::run(spec, events.clone()));
                    streams.push((source, handle));
                }
                open.insert(name, PodStreams { uid, streams });
            }
            Event::Delete(pod) => {
                let name = pod.metadata.name.unwrap_or_default();
                if let Some(old) = open.remove(&name)
                    && !stop(old, &events).await
                {
                    return;
                }
            }
            Event::InitDone => {
                initial = false;
                let seen = relisted.take().unwrap_or_default();
                let gone: Vec<String> = open
                    .keys()
                    .filter(|name| !seen.contains(*name))
                    .cloned()
                    .collect();
                for name in gone {
                    if let Some(old) = open.remove(&name)
                        && !stop(old, &events).await
                    {
                        return;
                    }
                }
            }
        }
    }
}

/// Stops a deleted pod's streams; false once the receiver is gone.
async fn stop(pod: PodStreams, events: &mpsc::Sender<LogEvent>) -> bool {
    for (source, handle) in pod.streams {
        handle.abort();
        let event = LogEvent::State {
            source,
            state: StreamState::Ended {
                reason: "pod deleted".to_string(),
            },
        };
        if events.send(event).await.is_err() {
            return false;
        }
    }
    true
}

/// Writes the lines the view shows (its filter, prefixes and timestamps) to
/// `path`, replacing the file; returns how many lines were written.
pub fn save_to_file(
    buffer: &LogBuffer,
    options: &LogViewOptions,
    path: &Path,
) -> std::io::Result<usize> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0;
    for line in buffer.lines() {
        if let Some(filter) = &options.filter
            && filter.matches(&line.text).is_none()
        {
            continue;
        }
        if options.prefix_sources
            && let Some(source) = buffer.source(line)
        {
            write!(out, "[{}] ", source.label())?;
        }
        if options.timestamps
            && let Some(at) = line.timestamp
        {
            write!(out, "{at} ")?;
        }
        writeln!(out, "{}", line.text)?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(annotation: Option<&str>) -> Pod {
        let mut pod = serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {
                "initContainers": [{"name": "init"}],
                "containers": [{"name": "app"}, {"name": "sidecar"}],
                "ephemeralContainers": [{"name": "debug"}]
            }
        });
        if let Some(name) = annotation {
            pod["metadata"]["annotations"] =
                serde_json::json!({"kubectl.kubernetes.io/default-container": name});
        }
        serde_json::from_value(pod).expect("a pod")
    }

    #[test]
    fn containers_are_chosen_as_kubectl_chooses_them() {
        assert_eq!(
            containers_of(&pod(None), &ContainerChoice::Default),
            ["app"]
        );
        assert_eq!(
            containers_of(&pod(Some("sidecar")), &ContainerChoice::Default),
            ["sidecar"]
        );
        assert_eq!(
            containers_of(&pod(Some("gone")), &ContainerChoice::Default),
            ["app"]
        );
        assert_eq!(
            containers_of(&pod(None), &ContainerChoice::All),
            ["init", "app", "sidecar", "debug"]
        );
        let missing: Vec<String> = containers_of(&pod(None), &ContainerChoice::One("web".into()));
        assert!(missing.is_empty());
        assert_eq!(
            containers_of(&pod(None), &ContainerChoice::One("init".into())),
            ["init"]
        );
    }
}
