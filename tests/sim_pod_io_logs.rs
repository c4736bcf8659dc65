//! `pods/log` through kube-rs (`Api::logs`, `Api::log_stream`): the simulated
//! containers' deterministic logs, the filtering options, previous runs, the
//! kubelet's and the API server's refusals, and a followed log that streams new
//! lines and ends when its pod is deleted.

#[path = "sim_pod_io_support.rs"]
mod pod_io;

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};

use pod_io::support::within;
use pod_io::{api_error, serve_pods};

#[tokio::test]
async fn a_log_reads_one_line_per_second_of_the_run() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let log = within("logs", pods.logs("web-1", &LogParams::default()))
        .await
        .expect("the log of a running container");
    let lines: Vec<&str> = log.lines().collect();
    // Started 10 s before the fixed clock: 10 or 11 lines, by sub-second offsets.
    assert!((10..=11).contains(&lines.len()), "{log}");
    assert_eq!(lines[0], "listening on :80");
    assert!(lines[1..].iter().all(|l| l.contains(" 20")), "{log}");
    let again = within("logs", pods.logs("web-1", &LogParams::default())).await;
    assert_eq!(again.ok(), Some(log.clone()), "deterministic");

    let tail = LogParams {
        tail_lines: Some(3),
        timestamps: true,
        ..LogParams::default()
    };
    let tail = within("tail", pods.logs("web-1", &tail))
        .await
        .expect("tail");
    let tail: Vec<&str> = tail.lines().collect();
    assert_eq!(tail.len(), 3);
    for (line, original) in tail.iter().zip(&lines[lines.len() - 3..]) {
        let (stamp, text) = line.split_once(' ').expect("a timestamp prefix");
        assert!(stamp.parse::<jiff::Timestamp>().is_ok(), "{stamp}");
        assert!(stamp.starts_with("2026-11-23T11:59:") && stamp.ends_with('Z'));
        assert_eq!(text, *original);
    }

    let since = LogParams {
        since_seconds: Some(4),
        ..LogParams::default()
    };
    let since = within("since", pods.logs("web-1", &since))
        .await
        .expect("since");
    assert!((3..=5).contains(&since.lines().count()), "{since}");

    let limited = LogParams {
        limit_bytes: Some(10),
        ..LogParams::default()
    };
    let limited = within("limit", pods.logs("web-1", &limited)).await;
    assert_eq!(limited.ok().as_deref(), Some("listening "));
}

#[tokio::test]
async fn previous_runs_end_with_the_crash() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let previous = LogParams {
        previous: true,
        ..LogParams::default()
    };
    let log = within("previous", pods.logs("web-1", &previous))
        .await
        .expect("the previous run's log");
    let last = log.lines().last().unwrap_or_default();
    assert!(last.contains("exiting with code 1"), "{log}");
    let error = within("no previous", pods.logs("single", &previous)).await;
    assert_eq!(
        api_error(error),
        (
            400,
            r#"previous terminated container "app" in pod "single" not found"#.to_string()
        )
    );
}

#[tokio::test]
async fn refusals_read_like_a_real_cluster() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let plain = LogParams::default();
    assert_eq!(
        api_error(within("ambiguous", pods.logs("multi", &plain)).await),
        (
            400,
            "a container name must be specified for pod multi, choose one of: [a b]".to_string()
        )
    );
    let b = LogParams {
        container: Some("b".into()),
        ..LogParams::default()
    };
    assert!(within("chosen", pods.logs("multi", &b)).await.is_ok());
    assert_eq!(
        api_error(within("waiting", pods.logs("creating", &plain)).await),
        (
            400,
            r#"container "c" in pod "creating" is waiting to start: ContainerCreating"#.to_string()
        )
    );
    // wire/52: the API server cannot dial a NotReady node's kubelet.
    let tail = LogParams {
        tail_lines: Some(5),
        ..LogParams::default()
    };
    assert_eq!(
        api_error(within("no kubelet", pods.logs("lost", &tail)).await),
        (
            500,
            r#"Get "https://10.0.0.9:10250/containerLogs/shop/lost/nginx?tailLines=5": dial tcp 10.0.0.9:10250: connect: connection refused"#.to_string()
        )
    );
    assert_eq!(
        api_error(within("missing", pods.logs("nope", &plain)).await),
        (404, r#"pods "nope" not found"#.to_string())
    );
}

#[tokio::test]
async fn a_followed_log_streams_until_the_pod_is_deleted() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let follow = LogParams {
        follow: true,
        tail_lines: Some(1),
        ..LogParams::default()
    };
    let stream = within("follow", pods.log_stream("web-1", &follow))
        .await
        .expect("a followed log");
    let mut lines = stream.lines();
    let first = within("the tail", lines.next()).await;
    assert!(matches!(first, Some(Ok(_))), "{first:?}");
    // The simulated time follows the wall clock: a new line within ~1 s.
    let next = within("a new line", lines.next()).await;
    assert!(
        matches!(&next, Some(Ok(line)) if line.starts_with("GET ") || line.starts_with("POST ")),
        "{next:?}"
    );
    running.sim.delete("pods", "shop", "web-1");
    let rest: Vec<_> = within("the end", lines.collect::<Vec<_>>()).await;
    assert!(rest.len() <= 2, "{rest:?}");
}
