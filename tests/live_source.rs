//! The live source against the simulated API server, through the real kube-rs
//! client over HTTP: stores fill and track changes, survive a 410 relist exactly,
//! report failures as stale and recover, and narrow or report forbidden kinds.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use kubesight::app::{App, SourceInfo};
use kubesight::cache::live::{LiveSource, Liveness};
use kubesight::cache::{Cache, Freshness, Kind, new_cache_with};
use kubesight::clock::Clock;
use kubesight::config::keymap::Keymap;
use kubesight::config::theme::Theme;
use kubesight::sim::{Failure, FailureRule, SimConfig, SimServer, Simulator};
use serde_json::json;

const STEP: Duration = Duration::from_secs(20);

struct Live {
    sim: Arc<Simulator>,
    _server: SimServer,
    cache: Cache,
}

fn config() -> SimConfig {
    SimConfig {
        bookmark_interval: Duration::from_millis(200),
        ..SimConfig::default()
    }
}

/// A live source watching the server at `url`.
fn watch(url: &str, only_namespace: Option<&str>) -> Cache {
    watch_with(url, only_namespace, Liveness::default())
}

/// A live source watching the server at `url`, probing it as `liveness` says.
fn watch_with(url: &str, only_namespace: Option<&str>, liveness: Liveness) -> Cache {
    let client =
        kube::Client::try_from(kube::Config::new(url.parse().expect("url"))).expect("client");
    let (cache, writers) = new_cache_with(Freshness::Syncing { objects: 0 });
    LiveSource {
        client,
        only_namespace: only_namespace.map(str::to_string),
        fallback_namespace: "shop".into(),
        freshness: cache.freshness.clone(),
        changes: cache.changes.clone(),
        // The screen's clock: ages as captured, and "stale since" on the same scale.
        clock: Clock::Fixed(kubesight::demo::captured_at()),
        liveness,
    }
    .start(writers);
    cache
}

fn serve(sim: &Arc<Simulator>) -> SimServer {
    sim.clone()
        .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .expect("loopback port")
}

/// A simulator and a live source watching it.
fn start(sim: Simulator, only_namespace: Option<&str>) -> Live {
    let sim = Arc::new(sim);
    let server = serve(&sim);
    let cache = watch(&server.url(), only_namespace);
    Live {
        sim,
        _server: server,
        cache,
    }
}

fn demo_sim() -> Simulator {
    Simulator::with_config(kubesight::demo::load().expect("demo").objects, config())
}

/// A server that refuses streaming lists: every store still ends up live, with
/// no stale marker and no backoff, holds what the server holds, and then follows
/// changes through the watch.
async fn lists_in_pages_then_watches(sim: Simulator) {
    let live = start(sim, None);
    until("every store is live", &live.cache, |c| {
        c.freshness.all_ready()
    })
    .await;
    for kind in Kind::ALL {
        let status = live.cache.freshness.get(*kind);
        assert_eq!(status.freshness, Freshness::Live, "{kind:?}");
        assert_eq!(status.retry_at, None, "{kind:?}");
    }
    assert_eq!(pod_names(&live.cache), sim_pod_names(&live.sim));
    live.sim.apply(new_pod("late-arrival")).expect("apply");
    until(
        "the watch after the list delivers a new pod",
        &live.cache,
        |c| pod_names(c).contains(&"default/late-arrival".to_string()),
    )
    .await;
}

/// Waits (bounded) until `done` holds, re-checking whenever the cache changes.
async fn until(what: &str, cache: &Cache, mut done: impl FnMut(&Cache) -> bool) {
    let waited = tokio::time::timeout(STEP, async {
        while !done(cache) {
            tokio::select! {
                _ = cache.changes.changed() => {}
                _ = tokio::time::sleep(Duration::from_millis(25)) => {}
            }
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "timed out waiting until {what}; freshness: {:?}",
        cache.freshness.snapshot()
    );
}

fn pod_names(cache: &Cache) -> Vec<String> {
    let mut names: Vec<String> = cache
        .stores
        .pods
        .state()
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p.metadata.namespace.as_deref().unwrap_or(""),
                p.metadata.name.as_deref().unwrap_or("")
            )
        })
        .collect();
    names.sort();
    names
}

fn sim_pod_names(sim: &Simulator) -> Vec<String> {
    let mut names: Vec<String> = sim
        .list("pods", None)
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["metadata"]["namespace"].as_str().unwrap_or(""),
                p["metadata"]["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    names.sort();
    names
}

fn screen(cache: &Cache) -> String {
    let source = SourceInfo {
        label: "sim".into(),
        context: "sim".into(),
    };
    let now = kubesight::demo::captured_at();
    let mut app = App::new(
        cache.clone(),
        Clock::Fixed(now),
        Theme::default_dark(),
        Keymap::default_keys(),
        source,
    );
    kubesight::render::render_to_text(&mut app, 120, 30)
}

fn new_pod(name: &str) -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "default", "labels": {"app": "late"}},
           "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "busybox"}]},
           "status": {"phase": "Pending"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_fill_from_the_server_and_the_screen_matches_the_snapshot_views() {
    let live = start(demo_sim(), None);
    until("every store is live", &live.cache, |c| {
        c.freshness.all_ready()
    })
    .await;
    for kind in Kind::ALL {
        assert_eq!(
            live.cache.freshness.get(*kind).freshness,
            Freshness::Live,
            "{kind:?}"
        );
    }
    assert_eq!(live.cache.stores.pods.state().len(), 43);
    assert_eq!(live.cache.stores.nodes.state().len(), 5);
    assert!(
        live.cache
            .stores
            .pods
            .state()
            .iter()
            .all(|p| p.metadata.managed_fields.is_none())
    );

    let text = screen(&live.cache);
    assert!(
        text.contains("context: sim  namespace: all  live  source: sim"),
        "{text}"
    );
    // The rows are what the reviewed snapshot of the same cluster shows.
    let reviewed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/snapshots/pods_120x30.snap"
    ))
    .unwrap();
    let rows = |s: &str| common::table_rows(s.split("\n---\n").last().unwrap_or(s));
    assert_eq!(common::table_rows(&text), rows(&reviewed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adds_updates_and_deletes_reach_the_store() {
    let live = start(demo_sim(), None);
    until("pods are live", &live.cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
    })
    .await;

    live.sim.apply(new_pod("late-arrival")).expect("apply");
    until("the new pod appears", &live.cache, |c| {
        pod_names(c).contains(&"default/late-arrival".to_string())
    })
    .await;

    let mut running = new_pod("late-arrival");
    running["status"] = json!({"phase": "Running", "containerStatuses": [{"name": "c", "image": "busybox", "imageID": "",
        "ready": true, "restartCount": 2, "state": {"running": {}}}]});
    live.sim.apply(running).expect("apply");
    until("the update arrives", &live.cache, |c| {
        c.stores.pods.state().iter().any(|p| {
            p.metadata.name.as_deref() == Some("late-arrival")
                && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
        })
    })
    .await;

    live.sim
        .delete("pods", "shop", "web-45dmd5frnr-m9ghv")
        .expect("the pod exists");
    until("the deleted pod goes", &live.cache, |c| {
        !pod_names(c).contains(&"shop/web-45dmd5frnr-m9ghv".to_string())
    })
    .await;
    assert_eq!(pod_names(&live.cache), sim_pod_names(&live.sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initial_state_arrives_as_a_streaming_list_not_a_list_request() {
    let sim = demo_sim();
    // Any LIST of pods fails: only a streaming list (one watch with
    // sendInitialEvents) can fill the store.
    sim.faults().fail(
        FailureRule::new(
            "/api/v1/pods",
            Failure::InternalError {
                cause: "no LIST expected".into(),
            },
        )
        .verb("list")
        .until_cleared(),
    );
    let live = start(sim, None);
    until("every store is live", &live.cache, |c| {
        c.freshness.all_ready()
    })
    .await;
    assert_eq!(
        live.cache.freshness.get(Kind::Pod).freshness,
        Freshness::Live
    );
    assert_eq!(pod_names(&live.cache), sim_pod_names(&live.sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_watch_list_is_listed_in_pages_and_then_watched() {
    // 1.27–1.31 with the WatchList gate off refuse sendInitialEvents with a 422;
    // the source lists in pages instead, without a stale marker or a backoff.
    let sim = Simulator::with_config(
        kubesight::demo::load().expect("demo").objects,
        SimConfig {
            watch_list: false,
            ..config()
        },
    );
    lists_in_pages_then_watches(sim).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_list_refused_with_a_500_event_is_listed_in_pages() {
    // A 1.32 server on etcd older than 3.5.13 answers sendInitialEvents with a
    // 200 and one ERROR event (500); kubectl lists in pages there, and so must we,
    // without a stale marker or a backoff.
    let sim = demo_sim();
    sim.faults().set_watch_progress_unsupported(true);
    lists_in_pages_then_watches(sim).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forced_410_relists_with_nothing_missing_and_nothing_phantom() {
    let live = start(demo_sim(), None);
    until("pods are live", &live.cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
    })
    .await;

    // While the watch is down: add, delete, then forget the history, so resuming
    // from the last resourceVersion gets 410 Gone and the watcher must relist.
    live.sim.faults().fail(
        FailureRule::new(
            "/api/v1/pods",
            Failure::InternalError {
                cause: "etcd unavailable".into(),
            },
        )
        .verb("watch")
        .times(1),
    );
    live.sim.faults().drop_watches();
    live.sim
        .apply(new_pod("born-during-outage"))
        .expect("apply");
    live.sim
        .delete("pods", "data", "postgres-1")
        .expect("exists");
    live.sim.compact_history();

    until("the store matches the server again", &live.cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
            && pod_names(c) == sim_pod_names(&live.sim)
    })
    .await;
    let names = pod_names(&live.cache);
    assert!(names.contains(&"default/born-during-outage".to_string()));
    assert!(!names.contains(&"data/postgres-1".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_watch_is_shown_stale_with_the_reason_until_it_recovers() {
    let live = start(demo_sim(), None);
    until("pods are live", &live.cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
    })
    .await;

    let failure = Failure::InternalError {
        cause: "etcdserver: request timed out".into(),
    };
    live.sim
        .faults()
        .fail(FailureRule::new("/api/v1/pods", failure).until_cleared());
    live.sim.faults().drop_watches();
    until("pods are stale", &live.cache, |c| {
        matches!(
            c.freshness.get(Kind::Pod).freshness,
            Freshness::Stale { .. }
        )
    })
    .await;
    let text = screen(&live.cache);
    assert!(text.contains("STALE pods 0s"), "{text}");
    assert!(text.contains("pods(all)[43] STALE"), "{text}");
    // The server's own message, in full, on the table's bottom border.
    let bottom = text
        .lines()
        .find(|l| l.starts_with('└'))
        .unwrap_or_default()
        .to_string();
    assert!(
        bottom.contains("Internal error occurred: etcdserver: request timed out"),
        "{text}"
    );
    assert!(bottom.contains("retrying in"), "{text}");

    live.sim.faults().clear_failures();
    until("pods are live again", &live.cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
    })
    .await;
    let text = screen(&live.cache);
    assert!(!text.contains("STALE"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_cluster_wide_lists_fall_back_to_the_namespace_and_forbidden_kinds_are_named() {
    let sim = demo_sim();
    let forbidden = || Failure::Forbidden {
        user: "system:serviceaccount:shop:viewer".into(),
    };
    // Pods may be read in `shop` only; events not at all.
    sim.faults()
        .fail(FailureRule::new("/api/v1/pods", forbidden()).until_cleared());
    sim.faults()
        .fail(FailureRule::new("/api/v1/events", forbidden()).until_cleared());
    sim.faults()
        .fail(FailureRule::new("/api/v1/namespaces/shop/events", forbidden()).until_cleared());
    let live = start(sim, None);
    until("every kind settled", &live.cache, |c| {
        c.freshness.all_ready()
    })
    .await;

    let pods = live.cache.freshness.get(Kind::Pod);
    assert_eq!(pods.freshness, Freshness::Live);
    assert_eq!(
        pods.scope,
        kubesight::cache::Scope::Namespace("shop".into())
    );
    assert!(
        pods.narrowed
            .as_deref()
            .is_some_and(|n| n.contains("cannot list cluster-wide")),
        "{pods:?}"
    );
    assert!(
        pod_names(&live.cache)
            .iter()
            .all(|n| n.starts_with("shop/"))
    );
    assert_eq!(pod_names(&live.cache).len(), 18);
    assert!(matches!(
        live.cache.freshness.get(Kind::Event).freshness,
        Freshness::Forbidden { .. }
    ));

    let text = screen(&live.cache);
    assert!(
        text.contains("live; forbidden: events; pods in shop only"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dash_n_watches_only_that_namespace() {
    let live = start(demo_sim(), Some("data"));
    until("every store is live", &live.cache, |c| {
        c.freshness.all_ready()
    })
    .await;
    assert!(
        pod_names(&live.cache)
            .iter()
            .all(|n| n.starts_with("data/")),
        "{:?}",
        pod_names(&live.cache)
    );
    assert_eq!(
        live.cache.freshness.get(Kind::Pod).narrowed,
        None,
        "asked for, not narrowed"
    );
    // Cluster-scoped kinds are unaffected.
    assert_eq!(live.cache.stores.nodes.state().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restart_is_shown_stale_and_recovers_with_nothing_lost() {
    let sim = Arc::new(demo_sim());
    let mut server = serve(&sim);
    let cache = watch(&server.url(), None);
    until("every store is live", &cache, |c| c.freshness.all_ready()).await;

    // While the server is down, the cluster changes.
    let restarting = tokio::spawn(async move {
        server
            .restart(Duration::from_secs(2))
            .await
            .expect("the port is free again");
        server
    });
    // The probe marks the kinds one after another: wait for the last.
    until("every kind is stale", &cache, |c| {
        Kind::ALL
            .iter()
            .all(|kind| matches!(c.freshness.get(*kind).freshness, Freshness::Stale { .. }))
    })
    .await;
    sim.delete("pods", "data", "postgres-2").expect("exists");
    sim.apply(new_pod("created-while-down")).expect("apply");
    let _server = restarting.await.expect("restart task");

    until("pods are live and match the server", &cache, |c| {
        c.freshness.get(Kind::Pod).freshness == Freshness::Live
            && pod_names(c) == sim_pod_names(&sim)
    })
    .await;
    assert!(pod_names(&cache).contains(&"default/created-while-down".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_server_is_shown_stale_and_the_watch_reconnects_when_it_answers() {
    // A stopped API server keeps its connections open and answers nothing: the
    // watch alone cannot tell it from a quiet cluster.
    let sim = Arc::new(demo_sim());
    let server = serve(&sim);
    let liveness = Liveness {
        interval: Duration::from_millis(300),
        timeout: Duration::from_millis(700),
    };
    let cache = watch_with(&server.url(), None, liveness);
    until("every store is live", &cache, |c| c.freshness.all_ready()).await;

    sim.faults().set_frozen(true);
    // The probe marks the kinds one after another: wait for the last.
    until("every kind is stale", &cache, |c| {
        Kind::ALL
            .iter()
            .all(|kind| matches!(c.freshness.get(*kind).freshness, Freshness::Stale { .. }))
    })
    .await;
    for kind in Kind::ALL {
        match cache.freshness.get(*kind).freshness {
            Freshness::Stale { reason, .. } => assert!(
                reason.starts_with("the API server has not answered for"),
                "{kind:?}: {reason}"
            ),
            other => panic!("{kind:?} is {other:?} while the server is frozen"),
        }
    }
    // Written while frozen: it reaches the cache only through the new watch.
    sim.apply(new_pod("while-frozen")).expect("apply");

    sim.faults().set_frozen(false);
    until("every store is live again", &cache, |c| {
        c.freshness.all_ready()
    })
    .await;
    until("the pod written while frozen arrives", &cache, |c| {
        pod_names(c).contains(&"default/while-frozen".to_string())
    })
    .await;
    assert_eq!(pod_names(&cache), sim_pod_names(&sim));
}
