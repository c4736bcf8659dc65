//! Watches through the real kube-rs client: kube-runtime watchers (list-then-watch
//! and streaming lists) see the initial objects and every change made through the
//! mutation API, recover from a compacted history by relisting, and raw watches get
//! bookmarks, selection transitions, timeouts and 410s as a real server sends them.

#[path = "sim_support.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, WatchEvent, WatchParams};
use kube::runtime::watcher::{self, Event};
use kube::runtime::{WatchStreamExt, reflector};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use kubesight::sim::{Failure, FailureRule, Simulator};
use support::{QuickBackoff, pod, serve, serve_values, shop, test_config, within};

type PodEvents = std::pin::Pin<Box<dyn Stream<Item = Result<Event<Pod>, watcher::Error>> + Send>>;

fn pod_watcher(client: &kube::Client, config: watcher::Config) -> PodEvents {
    watcher(Api::<Pod>::all(client.clone()), config)
        .backoff(QuickBackoff)
        .boxed()
}

use kube::runtime::watcher::watcher;

async fn next_event(events: &mut PodEvents) -> Event<Pod> {
    within("a watcher event", events.try_next())
        .await
        .expect("no watcher error")
        .expect("the watcher keeps going")
}

fn name(pod: &Pod) -> String {
    pod.metadata.name.clone().unwrap_or_default()
}

/// Drains the initial list: the names it applied.
async fn initial_names(events: &mut PodEvents) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        match next_event(events).await {
            Event::Init => names.clear(),
            Event::InitApply(pod) => names.push(name(&pod)),
            Event::InitDone => return names,
            other => panic!("unexpected event during the initial list: {other:?}"),
        }
    }
}

async fn sees_changes_made_through_the_mutation_api(config: watcher::Config) {
    let running = serve_values(shop());
    let mut events = pod_watcher(&running.client, config);
    assert_eq!(
        initial_names(&mut events).await,
        vec![
            "db-0",
            "web-cbf5d5586-9vs9j",
            "web-cbf5d5586-kgvjw",
            "web-cbf5d5586-lncg4"
        ]
    );
    let touched = pod(
        "wire",
        "web-cbf5d5586-9vs9j",
        &[("app", "web"), ("touched", "yes")],
        "node-1",
        "Running",
    );
    let stored = running.sim.apply(touched).expect("the update is stored");
    match next_event(&mut events).await {
        Event::Apply(pod) => {
            assert_eq!(name(&pod), "web-cbf5d5586-9vs9j");
            assert_eq!(
                pod.metadata.labels.and_then(|l| l.get("touched").cloned()),
                Some("yes".to_string())
            );
            assert_eq!(
                pod.metadata.resource_version.as_deref(),
                stored["metadata"]["resourceVersion"].as_str()
            );
        }
        other => panic!("expected the update, got {other:?}"),
    }
    assert!(running.sim.delete("pods", "data", "db-0").is_some());
    match next_event(&mut events).await {
        Event::Delete(pod) => assert_eq!(name(&pod), "db-0"),
        other => panic!("expected the deletion, got {other:?}"),
    }
}

#[tokio::test]
async fn a_list_then_watch_watcher_sees_initial_objects_and_changes() {
    sees_changes_made_through_the_mutation_api(watcher::Config::default()).await;
}

#[tokio::test]
async fn a_streaming_list_watcher_sees_initial_objects_and_changes() {
    sees_changes_made_through_the_mutation_api(watcher::Config::default().streaming_lists()).await;
}

#[tokio::test]
async fn a_compaction_while_disconnected_makes_the_watcher_relist() {
    let running = serve_values(shop());
    let (reader, writer) = reflector::store::<Pod>();
    let mut events: PodEvents = reflector(
        writer,
        watcher(
            Api::<Pod>::all(running.client.clone()),
            watcher::Config::default(),
        ),
    )
    .backoff(QuickBackoff)
    .boxed();
    assert_eq!(initial_names(&mut events).await.len(), 4);

    // Cut the watch and keep it from coming back until the history is gone.
    let faults = running.sim.faults();
    let refuse_watches = Failure::InternalError {
        cause: "etcdserver: leader changed".to_string(),
    };
    faults.fail(
        FailureRule::new("/api/v1/pods", refuse_watches)
            .verb("watch")
            .until_cleared(),
    );
    faults.drop_watches();
    match within("the failed re-watch", events.next()).await {
        Some(Err(_)) => {}
        Some(Ok(event)) => panic!("nothing changed yet, got {event:?}"),
        None => panic!("the watcher ended"),
    }
    assert!(
        running
            .sim
            .apply(pod(
                "wire",
                "web-new",
                &[("app", "web")],
                "node-2",
                "Pending"
            ))
            .is_ok()
    );
    assert!(running.sim.delete("pods", "data", "db-0").is_some());
    assert!(
        running
            .sim
            .apply(pod(
                "wire",
                "web-cbf5d5586-lncg4",
                &[("app", "web")],
                "node-1",
                "Running"
            ))
            .is_ok()
    );
    running.sim.compact_history();
    faults.clear_failures();

    let mut saw_gone = false;
    loop {
        match within("the relist", events.next()).await {
            Some(Err(watcher::Error::WatchError(status))) if status.code == 410 => {
                assert_eq!(status.reason, "Expired");
                assert!(status.message.starts_with("too old resource version: "));
                saw_gone = true;
            }
            Some(Err(_)) => {}
            Some(Ok(Event::InitDone)) => break,
            Some(Ok(_)) => {}
            None => panic!("the watcher ended"),
        }
    }
    assert!(saw_gone, "the watcher was told its resourceVersion expired");
    let cached: BTreeMap<String, String> = reader
        .state()
        .iter()
        .map(|p| {
            (
                name(p),
                p.metadata.resource_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    let stored: BTreeMap<String, String> = running
        .sim
        .list("pods", None)
        .iter()
        .map(|p| {
            (
                p["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                p["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(cached, stored, "the cache holds exactly the cluster");
}

type RawEvents = std::pin::Pin<Box<dyn Stream<Item = Result<WatchEvent<Pod>, kube::Error>> + Send>>;

async fn raw_watch(api: &Api<Pod>, params: &WatchParams, version: &str) -> RawEvents {
    within("opening a watch", api.watch(params, version))
        .await
        .expect("the watch opens")
        .boxed()
}

async fn next_raw(events: &mut RawEvents) -> WatchEvent<Pod> {
    within("a watch event", events.try_next())
        .await
        .expect("a well-formed event")
        .expect("the watch goes on")
}

#[tokio::test]
async fn bookmarks_close_the_initial_events_and_mark_progress() {
    let running = serve_values(shop());
    let api = Api::<Pod>::namespaced(running.client.clone(), "wire");
    let params = WatchParams::default().timeout(30);
    assert!(params.bookmarks, "kube-rs asks for bookmarks by default");
    let mut events = raw_watch(&api, &params, "0").await;
    let mut added = Vec::new();
    let initial_end = loop {
        match next_raw(&mut events).await {
            WatchEvent::Added(pod) => added.push(name(&pod)),
            WatchEvent::Bookmark(bookmark) => break bookmark,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(added.len(), 3);
    assert_eq!(
        initial_end
            .metadata
            .annotations
            .get("k8s.io/initial-events-end")
            .map(String::as_str),
        Some("true")
    );
    let now = running.sim.resource_version().to_string();
    assert_eq!(initial_end.metadata.resource_version, now);
    // Periodic bookmarks follow, carrying the latest revision, no annotation.
    match next_raw(&mut events).await {
        WatchEvent::Bookmark(bookmark) => {
            assert_eq!(bookmark.metadata.resource_version, now);
            assert!(bookmark.metadata.annotations.is_empty());
        }
        other => panic!("expected a periodic bookmark, got {other:?}"),
    }
    // A change elsewhere still moves the bookmarks forward.
    assert!(
        running
            .sim
            .apply(pod("data", "db-1", &[], "", "Pending"))
            .is_ok()
    );
    let later = running.sim.resource_version().to_string();
    loop {
        match next_raw(&mut events).await {
            WatchEvent::Bookmark(bookmark) if bookmark.metadata.resource_version == later => break,
            // One already on its way when the change was made.
            WatchEvent::Bookmark(bookmark) => assert_eq!(bookmark.metadata.resource_version, now),
            other => panic!("expected a bookmark, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_watch_from_a_compacted_version_gets_one_410_event() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let old = running.sim.resource_version();
    assert!(running.sim.delete("pods", "data", "db-0").is_some());
    running.sim.compact_history();
    let oldest = running.sim.oldest_resource_version();
    let mut events = raw_watch(
        &api,
        &WatchParams::default().disable_bookmarks(),
        &(old - 1).to_string(),
    )
    .await;
    match next_raw(&mut events).await {
        WatchEvent::Error(status) => {
            assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
            assert_eq!(
                status.message,
                format!("too old resource version: {} ({oldest})", old - 1)
            );
        }
        other => panic!("expected the 410, got {other:?}"),
    }
    let end = within("the end of the stream", events.next()).await;
    assert!(end.is_none(), "the stream ends after the error: {end:?}");
}

#[tokio::test]
async fn a_watch_resumes_from_the_history() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let from = running.sim.resource_version().to_string();
    assert!(running.sim.delete("pods", "data", "db-0").is_some());
    assert!(
        running
            .sim
            .apply(pod("data", "db-1", &[], "", "Pending"))
            .is_ok()
    );
    let mut events = raw_watch(&api, &WatchParams::default().disable_bookmarks(), &from).await;
    assert!(matches!(next_raw(&mut events).await, WatchEvent::Deleted(p) if name(&p) == "db-0"));
    assert!(matches!(next_raw(&mut events).await, WatchEvent::Added(p) if name(&p) == "db-1"));
}

#[tokio::test]
async fn objects_entering_and_leaving_a_selection_are_added_and_deleted() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let from = running.sim.resource_version().to_string();
    let mut events = raw_watch(
        &api,
        &WatchParams::default().disable_bookmarks().labels("app=web"),
        &from,
    )
    .await;
    let sim = &running.sim;
    let db = |app: &str, phase: &str| pod("data", "db-0", &[("app", app)], "node-2", phase);
    assert!(
        sim.apply(db("cache", "Running")).is_ok(),
        "not selected before or after: no event"
    );
    assert!(sim.apply(db("web", "Running")).is_ok());
    assert!(sim.apply(db("web", "Failed")).is_ok());
    assert!(sim.apply(db("db", "Failed")).is_ok());
    assert!(sim.delete("pods", "data", "db-0").is_some());
    assert!(sim.delete("pods", "wire", "web-cbf5d5586-kgvjw").is_some());
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(match next_raw(&mut events).await {
            WatchEvent::Added(p) => format!("ADDED {}", name(&p)),
            WatchEvent::Modified(p) => format!("MODIFIED {}", name(&p)),
            WatchEvent::Deleted(p) => format!("DELETED {}", name(&p)),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(
        seen,
        vec![
            "ADDED db-0",
            "MODIFIED db-0",
            "DELETED db-0",
            "DELETED web-cbf5d5586-kgvjw"
        ]
    );
}

#[tokio::test]
async fn timeout_seconds_ends_the_watch_cleanly() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let started = Instant::now();
    let from = running.sim.resource_version().to_string();
    let mut events = raw_watch(
        &api,
        &WatchParams::default().disable_bookmarks().timeout(1),
        &from,
    )
    .await;
    let end = within("the timeout", events.next()).await;
    assert!(end.is_none(), "no event, no error: {end:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn many_watchers_each_see_every_change() {
    let running = serve_values(shop());
    let api = Api::<Pod>::all(running.client.clone());
    let from = running.sim.resource_version().to_string();
    let mut watches = Vec::new();
    for _ in 0..25 {
        watches.push(raw_watch(&api, &WatchParams::default().disable_bookmarks(), &from).await);
    }
    for i in 0..10 {
        let created = pod("load", &format!("p-{i:02}"), &[], "", "Pending");
        assert!(running.sim.apply(created).is_ok());
    }
    for events in &mut watches {
        let mut names = Vec::new();
        for _ in 0..10 {
            match next_raw(events).await {
                WatchEvent::Added(p) => names.push(name(&p)),
                other => panic!("unexpected {other:?}"),
            }
        }
        let expected: Vec<String> = (0..10).map(|i| format!("p-{i:02}")).collect();
        assert_eq!(names, expected);
    }
}

#[tokio::test]
async fn a_stalled_watcher_is_closed_without_holding_back_the_others() {
    let mut config = test_config();
    config.watch_buffer = 8;
    let running = serve(Simulator::from_values(shop(), config));
    let from = running.sim.resource_version();
    // A client that asks for a watch and never reads it.
    let mut stalled = within(
        "connecting",
        tokio::net::TcpStream::connect(running.server.addr()),
    )
    .await
    .expect("a connection");
    let request = format!(
        "GET /api/v1/namespaces/wire/pods?watch=1&resourceVersion={from} HTTP/1.1\r\nHost: sim\r\n\r\n"
    );
    within("sending the request", stalled.write_all(request.as_bytes()))
        .await
        .expect("the request is sent");
    let api = Api::<Pod>::namespaced(running.client.clone(), "wire");
    let mut reader = raw_watch(
        &api,
        &WatchParams::default().disable_bookmarks(),
        &from.to_string(),
    )
    .await;
    // Far more than socket buffers hold, one change at a time, each read by the
    // attentive watcher before the next is made.
    let blob = "x".repeat(512 * 1024);
    let changes = 60;
    for i in 0..changes {
        let mut big = pod(
            "wire",
            "web-cbf5d5586-9vs9j",
            &[("app", "web")],
            "node-1",
            "Running",
        );
        big["metadata"]["annotations"] = json!({"blob": blob, "round": i.to_string()});
        assert!(running.sim.apply(big).is_ok());
        assert!(
            matches!(next_raw(&mut reader).await, WatchEvent::Modified(_)),
            "change {i}"
        );
    }
    // The stalled watch got what fit in the buffers, then its response was ended.
    let mut received = Vec::new();
    let mut buffer = vec![0; 1 << 20];
    while !received.ends_with(b"\r\n0\r\n\r\n") {
        let read = within("the stalled watch's end", stalled.read(&mut buffer))
            .await
            .expect("readable");
        assert!(read > 0, "the server ends the response, not the connection");
        received.extend_from_slice(&buffer[..read]);
    }
    let delivered = received
        .windows(b"\"type\":\"MODIFIED\"".len())
        .filter(|w| *w == b"\"type\":\"MODIFIED\"")
        .count();
    assert!(
        delivered < changes,
        "the stalled watcher was cut off ({delivered} events)"
    );
}
