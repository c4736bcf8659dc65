//! `ops::logs` against the simulated API server over HTTP: a followed log
//! receives new lines as the simulated kubelet writes them, a dropped stream
//! resumes without repeating or losing a line, previous runs, aggregated logs
//! of a selector that a pod created later joins, and a container that has not
//! started yet is waited for and then attached to.

#[path = "sim_support.rs"]
mod support;

use std::time::Duration;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::LogParams;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use kubesight::clock::Clock;
use kubesight::model::log_buffer::LogSource;
use kubesight::model::log_view::StreamState;
use kubesight::ops::logs::{ContainerChoice, LogEvent, LogRequest, LogTarget, start_logs};
use kubesight::sim::{SimConfig, Simulator};
use support::{Running, within};

/// The simulated kubelet writes one line per second of wall-clock time.
fn live_config() -> SimConfig {
    SimConfig {
        bookmark_interval: Duration::from_millis(200),
        too_large_resource_version_wait: Duration::from_millis(200),
        clock: Clock::System,
        ..SimConfig::default()
    }
}

fn seconds_ago(seconds: i64) -> String {
    Timestamp::from_second(Timestamp::now().as_second() - seconds)
        .expect("a valid instant")
        .to_string()
}

fn node() -> Value {
    json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},
           "status":{"conditions":[{"type":"Ready","status":"True"}],
                     "addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}})
}

/// A pod of nginx `web` labelled `app`, with this container status (or none).
fn pod(name: &str, app: &str, status: Option<Value>) -> Value {
    let mut pod = json!({"apiVersion":"v1","kind":"Pod",
        "metadata":{"name":name,"namespace":"shop","labels":{"app":app}},
        "spec":{"nodeName":"node-1","containers":[{"name":"web","image":"nginx:1.27"}]}});
    if let Some(status) = status {
        pod["status"] = json!({"phase":"Running","containerStatuses":[status]});
    }
    pod
}

fn running_since(started: &str) -> Value {
    json!({"name":"web","ready":true,"restartCount":0,"state":{"running":{"startedAt":started}}})
}

fn serve(pods: Vec<Value>) -> Running {
    let mut values = vec![
        json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}),
        node(),
    ];
    values.extend(pods);
    support::serve(Simulator::from_values(values, live_config()))
}

fn request(target: LogTarget) -> LogRequest {
    LogRequest {
        retry: Duration::from_millis(100),
        ..LogRequest::new(target)
    }
}

fn web(pod: &str) -> LogSource {
    LogSource::new("shop", pod, "web")
}

/// What the test saw, in order.
#[derive(Default)]
struct Seen {
    lines: Vec<(LogSource, Option<Timestamp>, String)>,
    states: Vec<(LogSource, StreamState)>,
    errors: Vec<String>,
}

impl Seen {
    /// Receives events until `done` holds.
    async fn until(&mut self, events: &mut mpsc::Receiver<LogEvent>, done: impl Fn(&Seen) -> bool) {
        while !done(self) {
            match within("a log event", events.recv()).await {
                Some(LogEvent::Line {
                    source,
                    timestamp,
                    text,
                }) => self.lines.push((source, timestamp, text)),
                Some(LogEvent::State { source, state }) => self.states.push((source, state)),
                Some(LogEvent::Error { message, .. }) => self.errors.push(message),
                None => panic!("the log task ended early"),
            }
        }
    }

    fn lines_of(&self, source: &LogSource) -> Vec<(Timestamp, String)> {
        self.lines
            .iter()
            .filter(|(s, _, _)| s == source)
            .map(|(_, at, text)| (at.expect("a timestamp"), text.clone()))
            .collect()
    }

    fn states_of(&self, source: &LogSource) -> Vec<StreamState> {
        self.states
            .iter()
            .filter(|(s, _)| s == source)
            .map(|(_, state)| state.clone())
            .collect()
    }
}

/// The whole log of a container as the server has it now, split.
async fn full_log(client: &kube::Client, pod: &str, previous: bool) -> Vec<(Timestamp, String)> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let params = LogParams {
        timestamps: true,
        previous,
        ..LogParams::default()
    };
    let text = within("the full log", pods.logs(pod, &params))
        .await
        .expect("a log");
    text.lines()
        .map(|line| {
            let (stamp, text) = line.split_once(' ').expect("a timestamp prefix");
            (stamp.parse().expect("a timestamp"), text.to_string())
        })
        .collect()
}

/// The lines of `log` from the one at `first`'s timestamp, as many as `seen`.
fn slice_from(
    log: &[(Timestamp, String)],
    seen: &[(Timestamp, String)],
) -> Vec<(Timestamp, String)> {
    let start = log
        .iter()
        .position(|(at, _)| Some(at) == seen.first().map(|(at, _)| at))
        .expect("the first line seen is in the log");
    log[start..(start + seen.len()).min(log.len())].to_vec()
}

#[tokio::test]
async fn a_followed_log_receives_new_lines_as_they_are_written() {
    let running = serve(vec![pod(
        "web-1",
        "web",
        Some(running_since(&seconds_ago(5))),
    )]);
    let (sender, mut events) = mpsc::channel(64);
    let opened = Timestamp::now();
    let handle = start_logs(
        running.client.clone(),
        LogRequest {
            tail_lines: Some(2),
            ..request(LogTarget::Pods(vec![("shop".into(), "web-1".into())]))
        },
        sender,
    );
    let mut seen = Seen::default();
    // The tail, then three lines written after opening (about one a second).
    seen.until(&mut events, |s| s.lines.len() == 5).await;
    handle.cancel();
    let lines = seen.lines_of(&web("web-1"));
    let log = full_log(&running.client, "web-1", false).await;
    assert_eq!(lines, slice_from(&log, &lines));
    assert!(lines[2].0 > opened, "written after opening: {lines:?}");
    assert_eq!(
        seen.states_of(&web("web-1")),
        [StreamState::Connecting, StreamState::Following]
    );
    assert!(
        seen.lines
            .iter()
            .all(|(_, _, text)| !text.starts_with("20")),
        "timestamps stripped"
    );
}

#[tokio::test]
async fn a_dropped_stream_resumes_without_repeating_or_losing_lines() {
    let mut running = serve(vec![pod(
        "web-1",
        "web",
        Some(running_since(&seconds_ago(3))),
    )]);
    let (sender, mut events) = mpsc::channel(64);
    let _handle = start_logs(
        running.client.clone(),
        request(LogTarget::Pods(vec![("shop".into(), "web-1".into())])),
        sender,
    );
    let mut seen = Seen::default();
    seen.until(&mut events, |s| s.lines.len() == 4).await;
    within(
        "restarting the server",
        running.server.restart(Duration::from_millis(300)),
    )
    .await
    .expect("the server restarts");
    let before = seen.lines.len();
    seen.until(&mut events, |s| s.lines.len() >= before + 3)
        .await;
    let states = seen.states_of(&web("web-1"));
    assert!(
        states
            .iter()
            .any(|s| matches!(s, StreamState::Reconnecting { .. })),
        "{states:?}"
    );
    assert_eq!(states.last(), Some(&StreamState::Following), "{states:?}");
    // Every line of the run, from its first, exactly once and in order.
    let lines = seen.lines_of(&web("web-1"));
    let log = full_log(&running.client, "web-1", false).await;
    assert_eq!(
        lines,
        log.iter().take(lines.len()).cloned().collect::<Vec<_>>()
    );
    assert_eq!(lines[0].1, "listening on :8080");
}

#[tokio::test]
async fn previous_logs_are_those_of_the_run_that_crashed() {
    let status = json!({"name":"web","ready":true,"restartCount":1,
        "state":{"running":{"startedAt":seconds_ago(5)}},
        "lastState":{"terminated":{"exitCode":1,"reason":"Error",
            "startedAt":seconds_ago(30),"finishedAt":seconds_ago(26)}}});
    let running = serve(vec![pod("web-1", "web", Some(status))]);
    let (sender, mut events) = mpsc::channel(64);
    let handle = start_logs(
        running.client.clone(),
        LogRequest {
            previous: true,
            follow: false,
            ..request(LogTarget::Pods(vec![("shop".into(), "web-1".into())]))
        },
        sender,
    );
    let mut seen = Seen::default();
    seen.until(&mut events, |s| {
        s.states
            .last()
            .is_some_and(|(_, state)| matches!(state, StreamState::Ended { .. }))
    })
    .await;
    let lines = seen.lines_of(&web("web-1"));
    assert_eq!(lines, full_log(&running.client, "web-1", true).await);
    // 4 s of run, a line a second (the 5th only if written before the end), the crash.
    assert!((5..=6).contains(&lines.len()), "{lines:?}");
    assert_eq!(lines[0].1, "listening on :8080");
    assert_eq!(
        lines[lines.len() - 1].1,
        "fatal: dial tcp 10.96.0.10:5432: connect: connection refused; exiting with code 1"
    );
    assert_eq!(
        seen.states_of(&web("web-1")),
        [
            StreamState::Connecting,
            StreamState::Ended {
                reason: String::new()
            }
        ]
    );
    within("the task ends", async {
        while !handle.is_finished() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn aggregated_logs_include_a_pod_created_after_opening() {
    let running = serve(vec![
        pod("web-a", "web", Some(running_since(&seconds_ago(4)))),
        pod("db-0", "db", Some(running_since(&seconds_ago(4)))),
    ]);
    let _controllers = running
        .sim
        .clone()
        .start_controllers(7, Duration::from_millis(100));
    let (sender, mut events) = mpsc::channel(64);
    let _handle = start_logs(
        running.client.clone(),
        LogRequest {
            tail_lines: Some(1),
            container: ContainerChoice::All,
            ..request(LogTarget::Selector {
                namespace: "shop".into(),
                selector: "app=web".into(),
            })
        },
        sender,
    );
    let mut seen = Seen::default();
    seen.until(&mut events, |s| s.lines.len() == 1).await;
    running
        .sim
        .apply(pod("web-b", "web", None))
        .expect("the pod is created");
    // The kubelet starts it after about three seconds; then its first lines.
    seen.until(&mut events, |s| s.lines_of(&web("web-b")).len() == 2)
        .await;
    let b = seen.lines_of(&web("web-b"));
    let log_b = full_log(&running.client, "web-b", false).await;
    assert_eq!(b, log_b[..2].to_vec(), "read from its first line");
    assert_eq!(b[0].1, "listening on :8080");
    let a = seen.lines_of(&web("web-a"));
    assert_eq!(
        a,
        slice_from(&full_log(&running.client, "web-a", false).await, &a)
    );
    assert!(seen.lines_of(&web("db-0")).is_empty());
    let b_states = seen.states_of(&web("web-b"));
    assert_eq!(
        b_states.last(),
        Some(&StreamState::Following),
        "{b_states:?}"
    );
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    // A deleted pod leaves the view.
    running.sim.delete("pods", "shop", "web-a");
    let deleted = StreamState::Ended {
        reason: "pod deleted".into(),
    };
    seen.until(&mut events, |s| {
        s.states_of(&web("web-a")).contains(&deleted)
    })
    .await;
}

#[tokio::test]
async fn a_container_not_started_yet_is_waited_for_then_attached() {
    let creating = json!({"name":"web","ready":false,"restartCount":0,
        "state":{"waiting":{"reason":"ContainerCreating"}}});
    let mut waiting = pod("web-1", "web", Some(creating));
    waiting["status"]["phase"] = json!("Pending");
    let running = serve(vec![waiting]);
    let _controllers = running
        .sim
        .clone()
        .start_controllers(7, Duration::from_millis(100));
    let (sender, mut events) = mpsc::channel(64);
    let _handle = start_logs(
        running.client.clone(),
        request(LogTarget::Pods(vec![("shop".into(), "web-1".into())])),
        sender,
    );
    let mut seen = Seen::default();
    seen.until(&mut events, |s| s.lines.len() == 2).await;
    assert_eq!(
        seen.states_of(&web("web-1")),
        [
            StreamState::Connecting,
            StreamState::Waiting {
                reason: "ContainerCreating".into()
            },
            StreamState::Connecting,
            StreamState::Following,
        ]
    );
    let lines = seen.lines_of(&web("web-1"));
    assert_eq!(
        lines,
        full_log(&running.client, "web-1", false).await[..2].to_vec()
    );
    assert_eq!(lines[0].1, "listening on :8080");
}

#[test]
fn saving_writes_the_lines_the_view_shows() {
    use kubesight::model::log_buffer::{LogBuffer, LogFilter, LogLimits};
    use kubesight::model::log_view::LogViewOptions;
    use kubesight::ops::logs::save_to_file;

    let mut buffer = LogBuffer::new(LogLimits::default());
    let at = |text: &str| text.parse::<Timestamp>().ok();
    buffer.push(
        &web("web-1"),
        at("2026-11-23T12:00:00.5Z"),
        "GET /healthz 200 1ms",
    );
    buffer.push(
        &web("web-2"),
        at("2026-11-23T12:00:01Z"),
        "POST /api/cart 201 30ms",
    );
    buffer.push(&web("web-1"), None, "héllo → GET");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("web.log");
    let options = LogViewOptions {
        timestamps: true,
        prefix_sources: true,
        filter: LogFilter::new("GET").ok(),
        ..LogViewOptions::default()
    };
    assert_eq!(save_to_file(&buffer, &options, &path).ok(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&path).expect("the saved file"),
        "[pod/web-1/web] 2026-11-23T12:00:00.5Z GET /healthz 200 1ms\n[pod/web-1/web] héllo → GET\n"
    );
    let plain = LogViewOptions::default();
    assert_eq!(save_to_file(&buffer, &plain, &path).ok(), Some(3));
    assert_eq!(
        std::fs::read_to_string(&path).expect("the saved file"),
        "GET /healthz 200 1ms\nPOST /api/cart 201 30ms\nhéllo → GET\n"
    );
}

#[tokio::test]
async fn the_server_reads_since_time_to_the_second_as_a_real_one_does() {
    let running = serve(vec![pod(
        "web-1",
        "web",
        Some(running_since(&seconds_ago(5))),
    )]);
    let log = full_log(&running.client, "web-1", false).await;
    let (second_line, _) = &log[2];
    // A sinceTime just after the 3rd line, within its second: the API server
    // drops the fraction before asking the kubelet, so the 3rd line is included.
    let just_after = second_line
        .checked_add(jiff::SignedDuration::from_nanos(1))
        .expect("a valid instant");
    let path = format!(
        "/api/v1/namespaces/shop/pods/web-1/log?timestamps=true&sinceTime={}",
        just_after.to_string().replace(':', "%3A")
    );
    let body = support::body_text(support::raw_get(&running.client, &path).await).await;
    let first = body.lines().next().unwrap_or_default();
    let first_at: Timestamp = first
        .split_once(' ')
        .and_then(|(stamp, _)| stamp.parse().ok())
        .expect("a timestamped line");
    let second_start = Timestamp::from_second(second_line.as_second()).expect("an instant");
    let expected = log
        .iter()
        .find(|(at, _)| *at >= second_start)
        .map(|(at, _)| *at);
    assert_eq!(Some(first_at), expected);
    assert!(first_at <= *second_line);
}
