//! The logs on screen: what was asked for, the bounded buffer the streams fill,
//! and the view toggles. Lines arrive as task results; the document is rebuilt
//! from the buffer at most every [`REBUILD_EVERY`], so a chatty pod costs one
//! rebuild per interval rather than one per line.

use std::time::{Duration, Instant};

use clap::Parser;

use crate::cache::{Kind, Stores, key};
use crate::model::doc::{Doc, ObjectRef};
use crate::model::log_buffer::{LogBuffer, LogFilter, LogLimits, LogSource};
use crate::model::log_view::{
    LogViewOptions, StreamState, Workload, log_doc, selector_of_workload,
};
use crate::ops::logs::{ContainerChoice, LogEvent, LogHandle, LogRequest, LogTarget};

pub const REBUILD_EVERY: Duration = Duration::from_millis(100);

pub struct LogSession {
    /// `Pod shop/web-1`, `Deployment shop/web (app=web)`.
    pub title: String,
    pub request: LogRequest,
    /// The containers `C` cycles through (those of the first pod).
    pub containers: Vec<String>,
    pub buffer: LogBuffer,
    pub states: Vec<(LogSource, StreamState)>,
    pub options: LogViewOptions,
    pub errors: Vec<String>,
    pub handle: Option<LogHandle>,
    dirty: bool,
    built: Option<Instant>,
}

impl LogSession {
    pub fn new(
        title: String,
        request: LogRequest,
        containers: Vec<String>,
        limits: LogLimits,
    ) -> Self {
        let aggregated = matches!(request.target, LogTarget::Selector { .. })
            || request.container == ContainerChoice::All;
        LogSession {
            title,
            request,
            containers,
            buffer: LogBuffer::new(limits),
            states: Vec::new(),
            options: LogViewOptions {
                prefix_sources: aggregated,
                ..LogViewOptions::default()
            },
            errors: Vec::new(),
            handle: None,
            dirty: true,
            built: None,
        }
    }

    /// Takes one event from the streams.
    pub fn apply(&mut self, event: LogEvent) {
        match event {
            LogEvent::Line {
                source,
                timestamp,
                text,
            } => self.buffer.push(&source, timestamp, text),
            LogEvent::State { source, state } => {
                match self.states.iter_mut().find(|(s, _)| *s == source) {
                    Some(entry) => entry.1 = state,
                    None => self.states.push((source, state)),
                }
            }
            LogEvent::Error { source, message } => self.errors.push(match source {
                Some(source) => format!("{}: {message}", source.label()),
                None => message,
            }),
        }
        self.dirty = true;
    }

    /// Whether the document should be rebuilt now: something changed and the
    /// last rebuild is old enough (or `force`).
    pub fn due(&self, force: bool) -> bool {
        self.dirty && (force || self.built.is_none_or(|b| b.elapsed() >= REBUILD_EVERY))
    }

    pub fn doc(&self) -> Doc {
        let mut doc = log_doc(&self.buffer, &self.states, &self.options);
        doc.title = format!("Logs: {} · {}", self.title, self.shown_containers());
        if self.request.previous {
            doc.title.push_str(" · previous run");
        }
        if !self.errors.is_empty() {
            let mut errors = Doc::new("");
            for error in self.errors.iter().rev().take(3) {
                errors.text(error.clone(), crate::model::table::Tone::Bad);
            }
            doc.preamble += errors.lines.len();
            doc.lines.splice(1..1, errors.lines);
        }
        doc
    }

    pub fn mark_built(&mut self) {
        self.dirty = false;
        self.built = Some(Instant::now());
    }

    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Stops the streams (on leaving the view, or before a restart).
    pub fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.cancel();
        }
    }

    /// A fresh buffer and stream state, for a request that changed.
    pub fn reset(&mut self) {
        self.stop();
        self.buffer.clear();
        self.states.clear();
        self.errors.clear();
        self.dirty = true;
    }

    /// `C`: the default container, each container in turn, then all of them.
    pub fn next_container(&mut self) {
        let next = match &self.request.container {
            ContainerChoice::Default => self
                .containers
                .first()
                .map(|c| ContainerChoice::One(c.clone()))
                .unwrap_or(ContainerChoice::All),
            ContainerChoice::One(current) => {
                let at = self.containers.iter().position(|c| c == current);
                match at.and_then(|i| self.containers.get(i + 1)) {
                    Some(next) => ContainerChoice::One(next.clone()),
                    None => ContainerChoice::All,
                }
            }
            ContainerChoice::All => ContainerChoice::Default,
        };
        self.options.prefix_sources = matches!(self.request.target, LogTarget::Selector { .. })
            || next == ContainerChoice::All;
        self.request.container = next;
    }

    /// Which container the view shows, for its title: the default resolved to
    /// its name once a stream says which one it is.
    fn shown_containers(&self) -> String {
        let streamed: std::collections::BTreeSet<&str> = self
            .states
            .iter()
            .map(|(source, _)| source.container.as_str())
            .collect();
        match (&self.request.container, streamed.len()) {
            (ContainerChoice::All, _) => "all containers".into(),
            (ContainerChoice::One(name), _) => format!("container {name}"),
            (ContainerChoice::Default, 1) => {
                format!(
                    "container {}",
                    streamed.first().copied().unwrap_or_default()
                )
            }
            (ContainerChoice::Default, _) => "default container".into(),
        }
    }

    /// What the container choice reads as, for messages.
    pub fn container_text(&self) -> String {
        match &self.request.container {
            ContainerChoice::Default => "the default container".into(),
            ContainerChoice::One(name) => format!("container {name}"),
            ContainerChoice::All => "all containers".into(),
        }
    }

    /// `/` in the logs: a regular expression that keeps matching lines only.
    pub fn set_filter(&mut self, text: &str) -> Result<(), String> {
        self.options.filter = if text.trim().is_empty() {
            None
        } else {
            Some(LogFilter::new(text.trim())?)
        };
        self.dirty = true;
        Ok(())
    }
}

/// `:logs` takes kubectl logs' flags.
#[derive(Parser, Debug)]
#[command(name = "logs", no_binary_name = true, disable_help_flag = true)]
pub struct LogsFlags {
    /// KIND/NAME or a pod name.
    pub target: Option<String>,
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    #[arg(long)]
    pub all_containers: bool,
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    #[arg(long)]
    pub since: Option<String>,
    #[arg(short = 'p', long)]
    pub previous: bool,
    #[arg(long)]
    pub timestamps: bool,
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
}

/// `l` is `:logs` without flags: the whole log (`--tail -1`), as kubectl's
/// default. A derived `Default` would give `--tail 0`, which shows nothing of
/// a finished run.
impl Default for LogsFlags {
    fn default() -> Self {
        LogsFlags {
            target: None,
            container: None,
            all_containers: false,
            tail: -1,
            since: None,
            previous: false,
            timestamps: false,
            selector: None,
        }
    }
}

pub fn parse_logs_command(input: &str) -> Result<LogsFlags, String> {
    LogsFlags::try_parse_from(input.split_whitespace())
        .map_err(|e| crate::drain_args::clap_message(&e))
}

impl LogsFlags {
    /// Applies the flags to a request.
    pub fn apply(&self, request: &mut LogRequest) -> Result<(), String> {
        if let Some(container) = &self.container {
            request.container = ContainerChoice::One(container.clone());
        }
        if self.all_containers {
            request.container = ContainerChoice::All;
        }
        request.tail_lines = (self.tail >= 0).then_some(self.tail);
        if let Some(since) = &self.since {
            let duration =
                crate::drain_args::parse_go_duration(since).map_err(|e| format!("--since: {e}"))?;
            request.since_seconds = Some(duration.as_secs().max(1) as i64);
        }
        request.previous = self.previous;
        // Previous logs are complete: there is nothing to follow.
        request.follow = !self.previous;
        Ok(())
    }
}

/// Where the logs of `object` come from: a pod's own, or every pod of the
/// workload's selector.
pub fn log_target(
    stores: &Stores,
    object: &ObjectRef,
) -> Result<(String, LogTarget, Vec<String>), String> {
    let selector = match object.kind {
        Kind::Pod => {
            let containers = stores
                .pods
                .get(&key(&object.namespace, &object.name))
                .and_then(|p| {
                    p.spec
                        .as_ref()
                        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
                })
                .unwrap_or_default();
            return Ok((
                format!("Pod {}/{}", object.namespace, object.name),
                LogTarget::Pods(vec![(object.namespace.clone(), object.name.clone())]),
                containers,
            ));
        }
        Kind::Deployment => stores
            .deployments
            .get(&key(&object.namespace, &object.name))
            .and_then(|d| selector_of_workload(Workload::Deployment(&d))),
        Kind::ReplicaSet => stores
            .replica_sets
            .get(&key(&object.namespace, &object.name))
            .and_then(|r| selector_of_workload(Workload::ReplicaSet(&r))),
        Kind::StatefulSet => stores
            .stateful_sets
            .get(&key(&object.namespace, &object.name))
            .and_then(|s| selector_of_workload(Workload::StatefulSet(&s))),
        Kind::DaemonSet => stores
            .daemon_sets
            .get(&key(&object.namespace, &object.name))
            .and_then(|d| selector_of_workload(Workload::DaemonSet(&d))),
        Kind::Job => stores
            .jobs
            .get(&key(&object.namespace, &object.name))
            .and_then(|j| selector_of_workload(Workload::Job(&j))),
        other => {
            return Err(format!(
                "{} has no logs: choose a pod or a workload",
                other.name()
            ));
        }
    };
    let selector = selector.ok_or_else(|| {
        format!(
            "{} {}/{} has no pod selector in the cache",
            object.kind.name(),
            object.namespace,
            object.name
        )
    })?;
    Ok((
        format!(
            "{} {}/{} ({selector})",
            object.kind.name(),
            object.namespace,
            object.name
        ),
        LogTarget::Selector {
            namespace: object.namespace.clone(),
            selector,
        },
        Vec::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_logs_flags() {
        let flags = parse_logs_command("pod/web-1 -c app --tail 20 --since 5m -p").expect("flags");
        let mut request = LogRequest::new(LogTarget::Pods(vec![]));
        flags.apply(&mut request).expect("valid");
        assert_eq!(request.container, ContainerChoice::One("app".into()));
        assert_eq!(request.tail_lines, Some(20));
        assert_eq!(request.since_seconds, Some(300));
        assert!(request.previous && !request.follow);
        assert_eq!(flags.target.as_deref(), Some("pod/web-1"));
    }

    #[test]
    fn the_l_key_asks_for_what_an_empty_logs_command_asks_for() {
        let mut from_key = LogRequest::new(LogTarget::Pods(vec![]));
        LogsFlags::default().apply(&mut from_key).expect("valid");
        let mut from_command = LogRequest::new(LogTarget::Pods(vec![]));
        parse_logs_command("")
            .expect("flags")
            .apply(&mut from_command)
            .expect("valid");
        assert_eq!(from_key.tail_lines, None, "the whole log, not --tail 0");
        assert_eq!(from_key.tail_lines, from_command.tail_lines);
        assert_eq!(from_key.follow, from_command.follow);
    }

    #[test]
    fn the_container_key_cycles_default_each_then_all() {
        let mut session = LogSession::new(
            "t".into(),
            LogRequest::new(LogTarget::Pods(vec![])),
            vec!["app".into(), "sidecar".into()],
            LogLimits::default(),
        );
        let mut seen = Vec::new();
        for _ in 0..4 {
            session.next_container();
            seen.push(session.container_text());
        }
        assert_eq!(
            seen,
            [
                "container app",
                "container sidecar",
                "all containers",
                "the default container"
            ]
        );
        assert!(!session.options.prefix_sources);
    }
}
