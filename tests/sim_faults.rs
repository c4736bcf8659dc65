//! Injected faults, seen through the real kube-rs client: failures carry the status
//! codes and bodies a real server sends (403 as `wire/51`), they hit only the
//! requests they are aimed at, latency delays answers, and severed watches resume.

#[path = "sim_support.rs"]
mod support;

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{Api, ListParams, WatchParams};
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event, watcher};

use kubesight::sim::{Failure, FailureRule};
use support::{
    QuickBackoff, body_text, client_for, content_type, pod, raw_get, serve_values, shop, within,
};

fn api_status<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> kube::core::Status {
    match result {
        Err(kube::Error::Api(status)) => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_forbidden_list_is_the_recorded_403() {
    let running = serve_values(shop());
    running.sim.faults().fail(
        FailureRule::new(
            "/api/v1/pods",
            Failure::Forbidden {
                user: "nobody".to_string(),
            },
        )
        .verb("list"),
    );
    let pods = Api::<Pod>::all(running.client.clone());
    let status = api_status(within("list", pods.list(&ListParams::default().limit(1))).await);
    assert_eq!((status.code, status.reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        status.message,
        "pods is forbidden: User \"nobody\" cannot list resource \"pods\" in API group \"\" at the cluster scope"
    );
    assert_eq!(status.details.map(|d| d.kind), Some("pods".to_string()));
    // The rule was for one request.
    let listed = within("list", pods.list(&ListParams::default())).await;
    assert!(listed.is_ok_and(|l| l.items.len() == 4));
}

#[tokio::test]
async fn a_forbidden_get_names_the_object_and_namespace() {
    let running = serve_values(shop());
    running.sim.faults().fail(FailureRule::new(
        "/api/v1/namespaces/wire/pods",
        Failure::Forbidden {
            user: "system:anonymous".to_string(),
        },
    ));
    let pods = Api::<Pod>::namespaced(running.client.clone(), "wire");
    let status = api_status(within("get", pods.get("web-cbf5d5586-9vs9j")).await);
    assert_eq!(status.code, 403);
    assert_eq!(
        status.message,
        "pods \"web-cbf5d5586-9vs9j\" is forbidden: User \"system:anonymous\" cannot get resource \"pods\" in API group \"\" in the namespace \"wire\""
    );
    assert_eq!(
        status.details.map(|d| d.name),
        Some("web-cbf5d5586-9vs9j".to_string())
    );
}

#[tokio::test]
async fn an_internal_error_is_a_500_status() {
    let running = serve_values(shop());
    running.sim.faults().fail(FailureRule::new(
        "/api/v1/nodes",
        Failure::InternalError {
            cause: "etcdserver: request timed out".to_string(),
        },
    ));
    let nodes = Api::<Node>::all(running.client.clone());
    let status = api_status(within("list", nodes.list(&ListParams::default())).await);
    assert_eq!(
        (status.code, status.reason.as_str(), status.message.as_str()),
        (
            500,
            "InternalError",
            "Internal error occurred: etcdserver: request timed out"
        )
    );
}

#[tokio::test]
async fn too_many_requests_is_plain_text_and_kube_retries_it() {
    let running = serve_values(shop());
    let throttle = || Failure::TooManyRequests {
        retry_after_seconds: 1,
    };
    running
        .sim
        .faults()
        .fail(FailureRule::new("/api/v1/pods", throttle()));
    // As priority and fairness answers: text, not a Status.
    let no_retry = client_for(&running.server.url(), false);
    let response = raw_get(&no_retry, "/api/v1/pods").await;
    assert_eq!(response.status(), 429);
    assert_eq!(content_type(&response), "text/plain; charset=utf-8");
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(
        body_text(response).await,
        "Too many requests, please try again later.\n"
    );
    // kube-rs's default client waits Retry-After and tries again.
    running.sim.faults().fail(FailureRule::new(
        "/api/v1/pods",
        Failure::TooManyRequests {
            retry_after_seconds: 0,
        },
    ));
    let pods = Api::<Pod>::all(running.client.clone());
    let listed = within("a retried list", pods.list(&ListParams::default())).await;
    assert!(listed.is_ok_and(|l| l.items.len() == 4));
}

#[tokio::test]
async fn latency_delays_every_response() {
    let running = serve_values(shop());
    let pods = Api::<Pod>::all(running.client.clone());
    running.sim.faults().set_latency(Duration::from_millis(300));
    let started = Instant::now();
    assert!(
        within("a slow list", pods.list(&ListParams::default()))
            .await
            .is_ok()
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    running.sim.faults().set_latency(Duration::ZERO);
    let started = Instant::now();
    assert!(
        within("a fast list", pods.list(&ListParams::default()))
            .await
            .is_ok()
    );
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn watch_faults_leave_lists_alone() {
    let running = serve_values(shop());
    running.sim.faults().fail(
        FailureRule::new(
            "/api/v1/pods",
            Failure::Status {
                code: 503,
                reason: "ServiceUnavailable",
                message: "the watch cache is not ready".to_string(),
            },
        )
        .verb("watch")
        .until_cleared(),
    );
    let no_retry = client_for(&running.server.url(), false);
    let pods = Api::<Pod>::all(no_retry);
    assert!(
        within("list", pods.list(&ListParams::default()))
            .await
            .is_ok()
    );
    let refused = within("watch", pods.watch(&WatchParams::default(), "0")).await;
    let status = match refused {
        Err(kube::Error::Api(status)) => *status,
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("the watch was refused"),
    };
    assert_eq!(
        (status.code, status.reason.as_str(), status.message.as_str()),
        (503, "ServiceUnavailable", "the watch cache is not ready")
    );
    running.sim.faults().clear_failures();
    assert!(
        within("watch", pods.watch(&WatchParams::default(), "0"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_watcher_resumes_after_its_connection_is_dropped() {
    let running = serve_values(shop());
    let mut events = watcher(
        Api::<Pod>::all(running.client.clone()),
        watcher::Config::default(),
    )
    .backoff(QuickBackoff)
    .boxed();
    loop {
        match within("the initial list", events.try_next()).await {
            Ok(Some(Event::InitDone)) => break,
            Ok(Some(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    // The first re-watch fails, which shows the old connection is really gone.
    running.sim.faults().fail(
        FailureRule::new(
            "/api/v1/pods",
            Failure::InternalError {
                cause: "etcdserver: leader changed".to_string(),
            },
        )
        .verb("watch"),
    );
    running.sim.faults().drop_watches();
    assert!(
        running
            .sim
            .apply(pod(
                "wire",
                "web-after-drop",
                &[("app", "web")],
                "node-2",
                "Pending"
            ))
            .is_ok()
    );
    // The watcher re-watches from its last resourceVersion: the change arrives
    // from the history, without a relist.
    let mut refused = false;
    loop {
        match within("the change after the drop", events.next()).await {
            Some(Ok(Event::Apply(pod))) => {
                assert_eq!(pod.metadata.name.as_deref(), Some("web-after-drop"));
                break;
            }
            Some(Ok(Event::Init)) => panic!("the watcher relisted"),
            Some(Ok(other)) => panic!("unexpected {other:?}"),
            Some(Err(watcher::Error::WatchStartFailed(_))) => refused = true,
            // A severed stream may also surface as an error of its own.
            Some(Err(_)) => {}
            None => panic!("the watcher ended"),
        }
    }
    assert!(refused, "the change came through a new watch");
}

#[tokio::test]
async fn without_watch_progress_a_streaming_list_is_one_error_event() {
    // etcd older than 3.5.13: the watch cache refuses sendInitialEvents inside
    // the stream (200, one ERROR event with a 500), and a plain watch still works.
    let running = serve_values(shop());
    running.sim.faults().set_watch_progress_unsupported(true);
    let response = raw_get(
        &running.client,
        "/api/v1/pods?watch=true&sendInitialEvents=true\
         &resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
    )
    .await;
    assert_eq!(response.status(), 200);
    let body = body_text(response).await;
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 1, "{body}");
    let event: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON watch line");
    assert_eq!(event["type"], "ERROR");
    assert_eq!(event["object"]["code"], 500);
    assert_eq!(event["object"]["reason"], "InternalError");
    assert_eq!(
        event["object"]["message"],
        "Internal error occurred: a watch stream was requested by the client but the \
         required storage feature RequestWatchProgress is disabled"
    );

    let pods = Api::<Pod>::all(running.client.clone());
    let listed = pods
        .list(&ListParams::default())
        .await
        .expect("a plain list");
    assert!(!listed.items.is_empty());
}
