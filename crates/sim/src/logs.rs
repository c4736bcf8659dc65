//! `GET /api/v1/namespaces/{ns}/pods/{name}/log`: a container's log as the
//! kubelet serves it through the API server — plain text, optionally prefixed
//! with RFC 3339 timestamps, cut by `tailLines`, `sinceSeconds`/`sinceTime` and
//! `limitBytes`, of the previous run with `previous`, and streamed as the
//! container writes with `follow`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Response;
use http::header::{CONTENT_TYPE, HeaderValue};
use hyper::body::Frame;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::mpsc;

use super::Simulator;
use super::log_writer::RunLog;
use super::pod_runtime::{self, Container, State};
use super::query::{self, Query};
use super::resources::Resource;
use super::response::{self, Body, BoxError};
use super::status::Status;

/// How often a followed log looks for new lines and for the container's end.
const FOLLOW_TICK: Duration = Duration::from_millis(250);

/// `PodLogOptions`, decoded.
#[derive(Debug, Default, Clone)]
struct Options {
    container: Option<String>,
    follow: bool,
    previous: bool,
    timestamps: bool,
    tail_lines: Option<i64>,
    since_seconds: Option<i64>,
    since_time: Option<Timestamp>,
    limit_bytes: Option<i64>,
}

impl Options {
    fn parse(query: &Query) -> Result<Options, Status> {
        let flag = |key| query.get(key).is_some_and(query::parse_bool);
        let int = |key: &str| -> Result<Option<i64>, Status> {
            match query.get(key) {
                None => Ok(None),
                Some(raw) => raw.parse().map(Some).map_err(|_| {
                    Status::bad_request(format!(
                        "strconv.ParseInt: parsing {raw:?}: invalid syntax"
                    ))
                }),
            }
        };
        let options = Options {
            container: query.get("container").map(str::to_string),
            follow: flag("follow"),
            previous: flag("previous"),
            timestamps: flag("timestamps"),
            tail_lines: int("tailLines")?,
            since_seconds: int("sinceSeconds")?,
            since_time: match query.get("sinceTime") {
                None => None,
                Some(raw) => Some(raw.parse().map_err(|_| {
                    Status::bad_request(format!("parsing time {raw:?}: invalid RFC 3339 time"))
                })?),
            },
            limit_bytes: int("limitBytes")?,
        };
        // The API server's validation of PodLogOptions.
        let mut invalid = Vec::new();
        if options.tail_lines.is_some_and(|n| n < 0) {
            invalid.push("tailLines: Invalid value: must be greater than or equal to 0");
        }
        if options.since_seconds.is_some_and(|n| n < 1) {
            invalid.push("sinceSeconds: Invalid value: must be greater than 0");
        }
        if options.limit_bytes.is_some_and(|n| n < 1) {
            invalid.push("limitBytes: Invalid value: must be greater than 0");
        }
        if options.since_seconds.is_some() && options.since_time.is_some() {
            invalid.push("sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
        if !invalid.is_empty() {
            return Err(Status::custom(
                422,
                "Invalid",
                format!("PodLogOptions \"\" is invalid: {}", invalid.join(", ")),
            ));
        }
        Ok(options)
    }

    /// The kubelet URL's query, as the API server encodes it (sorted keys).
    fn kubelet_query(&self) -> String {
        let mut pairs = Vec::new();
        if self.follow {
            pairs.push("follow=true".to_string());
        }
        if let Some(n) = self.limit_bytes {
            pairs.push(format!("limitBytes={n}"));
        }
        if self.previous {
            pairs.push("previous=true".to_string());
        }
        if let Some(n) = self.since_seconds {
            pairs.push(format!("sinceSeconds={n}"));
        }
        if let Some(since) = kubelet_since_time(self.since_time) {
            // url.Values.Encode escapes the colons.
            pairs.push(format!(
                "sinceTime={}",
                since.to_string().replace(':', "%3A")
            ));
        }
        if let Some(n) = self.tail_lines {
            pairs.push(format!("tailLines={n}"));
        }
        if self.timestamps {
            pairs.push("timestamps=true".to_string());
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

pub fn respond(
    sim: &Arc<Simulator>,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    query: &Query,
) -> Response<Body> {
    let options = match Options::parse(query) {
        Ok(options) => options,
        Err(status) => return response::status(&status),
    };
    let kubelet_url = |host: &str, container: &str| {
        format!(
            "Get \"https://{host}/containerLogs/{namespace}/{name}/{container}{}\"",
            options.kubelet_query()
        )
    };
    let container = match pod_runtime::resolve(
        sim.store(),
        pods,
        namespace,
        name,
        options.container.as_deref(),
        kubelet_url,
    ) {
        Ok(container) => container,
        Err(status) => return response::status(&status),
    };
    let log = match run_log(&container, options.previous) {
        Ok(log) => log,
        Err(status) => return response::status(&status),
    };
    let now = sim.config().clock.now();
    let count = log.count(now);
    let mut first = log.first_kept(count);
    if let Some(since) = since(&options, now) {
        first = first.max(log.first_since(since));
    }
    if let Some(tail) = options.tail_lines {
        first = first.max(count - tail);
    }
    let (sender, receiver) = mpsc::channel::<Bytes>(16);
    let writer = Writer {
        timestamps: options.timestamps,
        budget: options.limit_bytes,
        sender,
    };
    let follow = options.follow && !log.is_finished();
    tokio::spawn(write_log(
        sim.clone(),
        pods,
        container,
        log,
        first,
        follow,
        writer,
    ));
    let stream = futures::stream::unfold(receiver, |mut receiver| async move {
        let chunk = receiver.recv().await?;
        Some((Ok::<_, BoxError>(Frame::data(chunk)), receiver))
    });
    let mut response = response::streaming(stream);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

/// The run a request reads, as the kubelet picks it: the current one (or, for
/// a container waiting to restart, the one that just ended), or with
/// `previous` the one before.
fn run_log(container: &Container, previous: bool) -> Result<RunLog, Status> {
    let last_run = || {
        container
            .last_run
            .as_ref()
            .map(|run| RunLog::new(container, run.started_at, Some(run)))
    };
    if previous {
        return last_run().ok_or_else(|| {
            Status::bad_request(format!(
                "previous terminated container {:?} in pod {:?} not found",
                container.name, container.pod
            ))
        });
    }
    match &container.state {
        State::Running { started_at } => Ok(RunLog::new(container, *started_at, None)),
        State::Terminated(run) => Ok(RunLog::new(container, run.started_at, Some(run))),
        State::Waiting { reason } => last_run().ok_or_else(|| {
            container.waiting_error().unwrap_or_else(|| {
                Status::bad_request(format!(
                    "container {:?} in pod {:?} is waiting to start: {reason}",
                    container.name, container.pod
                ))
            })
        }),
    }
}

fn since(options: &Options, now: Timestamp) -> Option<Timestamp> {
    if let Some(seconds) = options.since_seconds {
        return now.checked_sub(SignedDuration::from_secs(seconds)).ok();
    }
    kubelet_since_time(options.since_time)
}

/// `sinceTime` as the API server forwards it to the kubelet:
/// `opts.SinceTime.Format(time.RFC3339)` (pkg/registry/core/pod/strategy.go,
/// `LogLocation`), so fractions of a second are dropped.
fn kubelet_since_time(since: Option<Timestamp>) -> Option<Timestamp> {
    let since = since?;
    let mut seconds = since.as_second();
    if since.subsec_nanosecond() < 0 {
        seconds -= 1;
    }
    Timestamp::from_second(seconds).ok()
}

/// Formats lines and sends them, within `limitBytes`.
struct Writer {
    timestamps: bool,
    budget: Option<i64>,
    sender: mpsc::Sender<Bytes>,
}

impl Writer {
    /// Sends lines `from..to`; false once the client is gone or the byte
    /// limit is reached.
    async fn send(&mut self, log: &RunLog, from: i64, to: i64) -> bool {
        let mut chunk = String::new();
        for index in from..to {
            let line = log.line(index);
            if self.timestamps {
                chunk.push_str(&line.at.to_string());
                chunk.push(' ');
            }
            chunk.push_str(&line.text);
            chunk.push('\n');
        }
        let mut bytes = chunk.into_bytes();
        let mut exhausted = false;
        if let Some(budget) = self.budget.as_mut() {
            let allowed = usize::try_from(*budget).unwrap_or(0);
            if bytes.len() >= allowed {
                bytes.truncate(allowed);
                exhausted = true;
            }
            *budget -= bytes.len() as i64;
        }
        if !bytes.is_empty() && self.sender.send(Bytes::from(bytes)).await.is_err() {
            return false;
        }
        !exhausted
    }
}

/// Writes the log from line `first`, then, when following, each new line as
/// the (wall-clock driven) simulated time passes, until the container stops,
/// the pod goes away or the client hangs up.
async fn write_log(
    sim: Arc<Simulator>,
    pods: &'static Resource,
    container: Container,
    log: RunLog,
    first: i64,
    follow: bool,
    mut writer: Writer,
) {
    let started = std::time::Instant::now();
    let clock_at_start = sim.config().clock.now();
    let now = || {
        let elapsed = SignedDuration::try_from(started.elapsed()).unwrap_or_default();
        clock_at_start
            .checked_add(elapsed)
            .unwrap_or(clock_at_start)
    };
    let mut next = first.max(0);
    let count = log.count(clock_at_start);
    if !writer.send(&log, next, count).await || !follow {
        return;
    }
    next = count;
    let State::Running { started_at } = container.state else {
        return;
    };
    loop {
        tokio::time::sleep(FOLLOW_TICK).await;
        if !still_running(&sim, pods, &container, started_at) {
            return;
        }
        let count = log.count(now());
        if count > next {
            if !writer.send(&log, next, count).await {
                return;
            }
            next = count;
        } else if writer.sender.is_closed() {
            return;
        }
    }
}

/// Whether the run being followed is still the container's current one.
fn still_running(
    sim: &Simulator,
    pods: &'static Resource,
    container: &Container,
    started_at: Timestamp,
) -> bool {
    let current = pod_runtime::resolve(
        sim.store(),
        pods,
        &container.namespace,
        &container.pod,
        Some(&container.name),
        |_, _| String::new(),
    );
    matches!(current, Ok(c) if c.state == State::Running { started_at })
}
