//! The live drain executor and cordon against the simulator over HTTP, with a
//! real kube client and the simulator's controllers running on the wall clock:
//! a PDB-blocked drain that completes once replacements are Ready, cancellation,
//! timeout, server dry run, disable-eviction, readonly, and a blocked pod not
//! holding the only eviction slot.
//!
//! Over 500 lines on purpose: each scenario needs the whole drain against a
//! running simulator, and they share one set of fixtures here.

#[path = "drain_ops_support.rs"]
mod drain_support;

use std::time::{Duration, Instant};

use drain_support::{
    budget, collect, job, key, live, replica_set, run, steps_of, summary, to_evict,
};
use kubesight::clock::Clock;
use kubesight::model::drain_timeline::{Stage, Timeline, event_line};
use kubesight::ops::cordon::{self, CordonOutcome, NodeResult};
use kubesight::ops::drain::{self, DrainEventKind, DrainOptions, DrainOutcome};
use kubesight::ops::{READONLY_REFUSAL, WriteGate};
use serde_json::Value;

const BLOCKED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

fn quick(options: DrainOptions) -> DrainOptions {
    DrainOptions {
        retry_initial: Duration::from_millis(200),
        retry_cap: Duration::from_millis(800),
        ..options
    }
}

fn unschedulable(sim: &kubesight::sim::Simulator, node: &str) -> Option<bool> {
    sim.get("nodes", "", node)
        .and_then(|n| n.pointer("/spec/unschedulable").and_then(Value::as_bool))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdb_blocked_drain_completes_once_the_replacement_is_ready() {
    let live = live(
        vec![replica_set("web", 2, 1), budget("web-pdb", "web", 1)],
        2,
    )
    .await;
    let pods = to_evict(live.sim(), "web");
    assert_eq!(pods.len(), 2);
    let options = quick(DrainOptions {
        timeout: Some(Duration::from_secs(45)),
        follow_replacements: Duration::from_secs(15),
        ..DrainOptions::default()
    });
    let events = run(&live, job(pods.clone(), options)).await;

    let (first, second) = (key(&pods[0]), key(&pods[1]));
    let steps = [steps_of(&events, &first), steps_of(&events, &second)];
    // Both are sent at once; the budget lets exactly one go first.
    let blocked_one = usize::from(steps[0].iter().all(|s| !s.starts_with("blocked")));
    let free_one = 1 - blocked_one;
    let free = &steps[free_one];
    assert_eq!(free[..2], ["evicting#1", "accepted"]);
    let mut own: Vec<&String> = free
        .iter()
        .filter(|s| !s.starts_with("replacement"))
        .collect();
    own.dedup();
    assert_eq!(own, ["evicting#1", "accepted", "terminating", "gone"]);
    let replacement: Vec<&String> = free
        .iter()
        .filter(|s| s.starts_with("replacement"))
        .collect();
    assert_eq!(replacement, ["replacement-on-n2", "replacement-ready"]);

    let blocked = &steps[blocked_one];
    assert_eq!(blocked[..2], ["evicting#1", "blocked#1"]);
    let retries = blocked.iter().filter(|s| s.starts_with("blocked")).count();
    let own: Vec<&String> = blocked
        .iter()
        .filter(|s| !s.starts_with("replacement"))
        .collect();
    let mut expected: Vec<String> = Vec::new();
    for n in 1..=retries {
        expected.push(format!("evicting#{n}"));
        expected.push(format!("blocked#{n}"));
    }
    expected.extend([
        format!("evicting#{}", retries + 1),
        "accepted".into(),
        "terminating".into(),
        "gone".into(),
    ]);
    assert_eq!(own, expected.iter().collect::<Vec<_>>());

    // The budget is named, with the server's words, and the waits grow to the cap.
    let blocks: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            DrainEventKind::Blocked {
                budget,
                message,
                detail,
                retry_after,
                ..
            } => Some((
                budget.clone(),
                message.clone(),
                detail.clone(),
                *retry_after,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(blocks.len(), retries);
    assert_eq!(blocks[0].0.as_deref(), Some("web-pdb"));
    assert_eq!(blocks[0].1, BLOCKED);
    // The budget's status lags the first eviction until the disruption
    // controller recounts, as on a real cluster.
    for block in &blocks {
        assert!(
            [
                "The disruption budget web-pdb needs 1 healthy pods and has 2 currently",
                "The disruption budget web-pdb needs 1 healthy pods and has 1 currently"
            ]
            .contains(&block.2.as_str()),
            "{}",
            block.2
        );
    }
    let waits: Vec<u128> = blocks.iter().map(|b| b.3.as_millis()).take(4).collect();
    assert_eq!(waits, [200, 400, 800, 800][..waits.len()]);

    // The second eviction is accepted only after the first replacement is Ready.
    let position = |wanted: &dyn Fn(&DrainEventKind) -> bool| {
        events
            .iter()
            .position(|e| wanted(&e.kind))
            .expect("the event happened")
    };
    let free_key = key(&pods[free_one]);
    let blocked_key = key(&pods[blocked_one]);
    let ready = position(
        &|k| matches!(k, DrainEventKind::ReplacementReady { pod, .. } if *pod == free_key),
    );
    let accepted =
        position(&|k| matches!(k, DrainEventKind::Accepted { pod, .. } if *pod == blocked_key));
    assert!(ready < accepted, "{events:#?}");

    let lines: Vec<String> = events.iter().map(event_line).collect();
    assert_eq!(lines[0], "draining 2 pods");
    assert_eq!(lines[1], "node/n1 cordoned");
    assert!(lines.contains(&format!(
        "error when evicting pods/{:?} -n \"shop\" (will retry after 200ms): {BLOCKED}",
        blocked_key.name
    )));
    assert!(lines.contains(&format!("pod/{} evicted", blocked_key.name)));
    let drained = lines
        .iter()
        .position(|l| l == "node/n1 drained")
        .expect("drained");
    let gone_last = lines
        .iter()
        .rposition(|l| l.ends_with(" evicted"))
        .expect("evicted");
    assert!(gone_last < drained);

    let summary = summary(&events);
    assert_eq!(summary.outcome, DrainOutcome::Completed);
    assert_eq!(
        (summary.evicted, summary.deleted, summary.already_gone),
        (2, 0, 0)
    );
    assert!(summary.failed.is_empty() && summary.remaining.is_empty());
    assert_eq!(unschedulable(live.sim(), "n1"), Some(true));
    assert!(live.sim().get("pods", "shop", &first.name).is_none());
    assert!(live.sim().get("pods", "shop", &second.name).is_none());

    let mut timeline = Timeline::new();
    for event in &events {
        timeline.apply(event);
    }
    for pod in [&first, &second] {
        let entry = timeline.pod(pod).expect("in the timeline");
        assert_eq!(entry.stage, Stage::Gone { eviction: true });
        let replacement = entry.replacement.as_ref().expect("a replacement");
        assert_eq!((replacement.node.as_str(), replacement.ready), ("n2", true));
    }
}

async fn blocked_cluster() -> drain_support::Live {
    live(
        vec![replica_set("web", 2, 1), budget("web-pdb", "web", 2)],
        2,
    )
    .await
}

fn uids(sim: &kubesight::sim::Simulator) -> Vec<(String, String, bool)> {
    let mut all: Vec<(String, String, bool)> = sim
        .list("pods", Some("shop"))
        .iter()
        .map(|p| {
            (
                p["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                p["metadata"]["uid"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                p.pointer("/metadata/deletionTimestamp").is_some(),
            )
        })
        .collect();
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_stops_promptly_and_leaves_the_node_cordoned() {
    let live = blocked_cluster().await;
    let pods = to_evict(live.sim(), "web");
    let before = uids(live.sim());
    let (handle, mut events) = drain::start(
        live.running.client.clone(),
        WriteGate::new(false),
        Clock::System,
        job(pods.clone(), quick(DrainOptions::default())),
    )
    .expect("writes are allowed");
    let mut seen = Vec::new();
    while let Some(event) = events.recv().await {
        let blocked = matches!(event.kind, DrainEventKind::Blocked { .. });
        seen.push(event);
        if blocked {
            break;
        }
    }
    let cancelled_at = Instant::now();
    handle.cancel();
    let rest = collect(&mut events).await;
    assert!(
        cancelled_at.elapsed() < Duration::from_secs(1),
        "stopped promptly"
    );
    handle.join().await;

    let n = rest.len();
    let expected_remaining: Vec<(drain::PodKey, String)> =
        pods.iter().map(|p| (p.key(), "n1".to_string())).collect();
    assert_eq!(
        rest[n - 2].kind,
        DrainEventKind::Cancelled {
            remaining: expected_remaining
        }
    );
    let summary = summary(&rest);
    assert_eq!(summary.outcome, DrainOutcome::Cancelled);
    assert_eq!((summary.evicted, summary.deleted), (0, 0));
    assert_eq!(
        summary.remaining,
        pods.iter().map(|p| p.key()).collect::<Vec<_>>()
    );
    assert!(
        rest[..n - 2]
            .iter()
            .all(|e| !matches!(e.kind, DrainEventKind::Accepted { .. }))
    );
    assert_eq!(
        event_line(&rest[n - 2]),
        format!(
            "There are pending pods in node \"n1\" when an error occurred: drain cancelled; nodes stay cordoned\npod/{}\npod/{}",
            pods[0].name, pods[1].name
        )
    );
    assert_eq!(unschedulable(live.sim(), "n1"), Some(true));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        uids(live.sim()),
        before,
        "no pod was touched, then or since"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_stops_the_drain_and_names_the_pending_pods() {
    let live = blocked_cluster().await;
    let pods = to_evict(live.sim(), "web");
    // Gone before its turn: the eviction's 404 counts as done.
    let ghost = drain::PodToEvict {
        name: "ghost".into(),
        uid: "ghost-uid".into(),
        ..pods[0].clone()
    };
    let mut with_ghost = pods.clone();
    with_ghost.push(ghost.clone());
    let started = Instant::now();
    let events = run(
        &live,
        job(
            with_ghost,
            quick(DrainOptions {
                timeout: Some(Duration::from_millis(1500)),
                ..DrainOptions::default()
            }),
        ),
    )
    .await;
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_secs(4));
    let n = events.len();
    assert_eq!(
        event_line(&events[n - 2]),
        format!(
            "There are pending pods in node \"n1\" when an error occurred: global timeout reached: 1.5s\npod/{}\npod/{}",
            pods[0].name, pods[1].name
        )
    );
    let summary = summary(&events);
    assert_eq!(summary.outcome, DrainOutcome::TimedOut);
    assert_eq!(summary.remaining, vec![pods[0].key(), pods[1].key()]);
    assert_eq!((summary.evicted, summary.already_gone), (0, 1));
    assert_eq!(
        steps_of(&events, &ghost.key()),
        ["evicting#1", "already-gone"]
    );
    for pod in &pods {
        let steps = steps_of(&events, &pod.key());
        assert_eq!(steps[..2], ["evicting#1", "blocked#1"]);
        assert!(
            steps
                .iter()
                .all(|s| s.starts_with("evicting") || s.starts_with("blocked"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_dry_run_reports_verdicts_and_changes_nothing() {
    let mut bare = drain_support::support::pod("shop", "db-0", &[("app", "db")], "n1", "Pending");
    bare["spec"]["terminationGracePeriodSeconds"] = 1.into();
    let mut live = live(
        vec![
            replica_set("web", 2, 1),
            budget("web-pdb", "web", 1),
            bare,
            budget("db-a", "db", 0),
            budget("db-b", "db", 0),
        ],
        3,
    )
    .await;
    live.stop_controllers();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut pods = to_evict(live.sim(), "web");
    pods.extend(to_evict(live.sim(), "db"));
    assert_eq!(pods.len(), 3);
    let version = live.sim().resource_version();
    let n1 = live.sim().get("nodes", "", "n1");
    let pods_before = uids(live.sim());

    let events = run(
        &live,
        job(
            pods.clone(),
            DrainOptions {
                dry_run_server: true,
                ..DrainOptions::default()
            },
        ),
    )
    .await;

    assert_eq!(uids(live.sim()), pods_before);
    assert_eq!(
        live.sim().resource_version(),
        version,
        "nothing was written"
    );
    assert_eq!(live.sim().get("nodes", "", "n1"), n1);
    assert_eq!(unschedulable(live.sim(), "n1"), None);
    let lines: Vec<String> = events.iter().map(event_line).collect();
    let more_than_one = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    let mut expected = vec![
        "draining 3 pods (server dry run)".to_string(),
        "node/n1 cordoned (server dry run)".to_string(),
    ];
    let mut sorted = lines[2..lines.len() - 1].to_vec();
    sorted.sort();
    let mut verdicts = vec![
        format!("evicting pod shop/{} (server dry run)", pods[0].name),
        format!("evicting pod shop/{} (server dry run)", pods[1].name),
        "evicting pod shop/db-0 (server dry run)".to_string(),
        format!("pod/{} evicted (server dry run)", pods[0].name),
        format!("pod/{} evicted (server dry run)", pods[1].name),
        format!("error when evicting pods/\"db-0\" -n \"shop\": {more_than_one}"),
    ];
    verdicts.sort();
    assert_eq!(sorted, verdicts);
    expected.push(
        "drain completed (server dry run) in X: 2 evicted, 0 deleted, 0 already gone, 1 failed, 0 remaining"
            .to_string(),
    );
    let last = lines.last().expect("a summary line");
    let elapsed = last
        .split(" in ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .expect("an elapsed time");
    assert_eq!(last.replace(elapsed, "X"), expected[2]);
    assert_eq!(lines[..2], expected[..2]);
    let summary = summary(&events);
    assert_eq!(
        summary.failed,
        vec![(
            drain::PodKey::new("shop", "db-0"),
            more_than_one.to_string()
        )]
    );
    assert!(
        !lines.iter().any(|l| l.contains("drained")),
        "a failed pod: not drained"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_eviction_deletes_past_the_budget() {
    let live = blocked_cluster().await;
    let pods = to_evict(live.sim(), "web");
    let events = run(
        &live,
        job(
            pods.clone(),
            quick(DrainOptions {
                disable_eviction: true,
                grace_period: Some(2),
                timeout: Some(Duration::from_secs(30)),
                ..DrainOptions::default()
            }),
        ),
    )
    .await;
    assert_eq!(
        events[1].kind,
        DrainEventKind::Warning {
            message: "eviction is disabled: pods are deleted directly and PodDisruptionBudgets are not checked".into()
        }
    );
    for pod in &pods {
        let own: Vec<String> = steps_of(&events, &pod.key())
            .into_iter()
            .filter(|s| !s.starts_with("replacement"))
            .collect();
        assert_eq!(own, ["deleting", "accepted", "terminating", "gone"]);
        // The server's answer to the DELETE carried the grace period asked for.
        let grace = events.iter().find_map(|e| match &e.kind {
            DrainEventKind::Terminating {
                pod: p,
                grace_seconds,
                deletion,
            } if *p == pod.key() => Some((*grace_seconds, *deletion)),
            _ => None,
        });
        let (grace, deletion) = grace.expect("terminating");
        assert_eq!(grace, 2);
        let accepted_at = events
            .iter()
            .find(|e| matches!(&e.kind, DrainEventKind::Accepted { pod: p, .. } if *p == pod.key()))
            .map(|e| e.at)
            .expect("accepted");
        let ahead = deletion.duration_since(accepted_at).as_secs_f64();
        assert!(
            (1.0..=2.5).contains(&ahead),
            "deletion {ahead}s after acceptance"
        );
    }
    let lines: Vec<String> = events.iter().map(event_line).collect();
    assert!(lines.contains(&format!("pod/{} deleted", pods[0].name)));
    let summary = summary(&events);
    assert_eq!((summary.evicted, summary.deleted), (0, 2));
    assert_eq!(summary.outcome, DrainOutcome::Completed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readonly_refuses_without_a_request() {
    let live = blocked_cluster().await;
    let pods = to_evict(live.sim(), "web");
    let mut live = live;
    live.stop_controllers();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let version = live.sim().resource_version();
    let refused = drain::start(
        live.running.client.clone(),
        WriteGate::new(true),
        Clock::System,
        job(pods, DrainOptions::default()),
    )
    .err()
    .expect("refused");
    assert_eq!(refused.to_string(), READONLY_REFUSAL);
    let refused = cordon::set_unschedulable(
        &live.running.client,
        &WriteGate::new(true),
        &["n1".into()],
        true,
    )
    .await
    .expect_err("refused");
    assert_eq!(
        refused.to_string(),
        "refused: kubesight is running with --readonly"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(live.sim().resource_version(), version);
    assert_eq!(unschedulable(live.sim(), "n1"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_pod_does_not_hold_the_only_eviction_slot() {
    let live = live(
        vec![
            replica_set("web", 2, 1),
            budget("web-pdb", "web", 2),
            replica_set("api", 2, 1),
        ],
        4,
    )
    .await;
    let mut pods = to_evict(live.sim(), "web");
    pods.extend(to_evict(live.sim(), "api"));
    let events = run(
        &live,
        job(
            pods.clone(),
            quick(DrainOptions {
                max_concurrent_evictions: 1,
                timeout: Some(Duration::from_secs(6)),
                ..DrainOptions::default()
            }),
        ),
    )
    .await;
    for api in &pods[2..] {
        let own: Vec<String> = steps_of(&events, &api.key())
            .into_iter()
            .filter(|s| !s.starts_with("replacement"))
            .collect();
        assert_eq!(own, ["evicting#1", "accepted", "terminating", "gone"]);
    }
    let summary = summary(&events);
    assert_eq!(summary.outcome, DrainOutcome::TimedOut);
    assert_eq!(summary.evicted, 2);
    assert_eq!(summary.remaining, vec![pods[0].key(), pods[1].key()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cordon_reports_each_node_with_the_servers_message() {
    let live = live(vec![], 0).await;
    let client = &live.running.client;
    let gate = WriteGate::new(false);
    let nodes = ["n1".to_string(), "n2".to_string(), "nope".to_string()];
    let results = cordon::set_unschedulable(client, &gate, &nodes[..2], true)
        .await
        .expect("allowed");
    assert_eq!(
        results,
        vec![
            NodeResult {
                node: "n1".into(),
                outcome: CordonOutcome::Changed
            },
            NodeResult {
                node: "n2".into(),
                outcome: CordonOutcome::Changed
            },
        ]
    );
    let again = cordon::set_unschedulable(client, &gate, &nodes, true)
        .await
        .expect("allowed");
    assert_eq!(
        again.iter().map(|r| r.outcome.clone()).collect::<Vec<_>>(),
        vec![
            CordonOutcome::Unchanged,
            CordonOutcome::Unchanged,
            CordonOutcome::Failed("nodes \"nope\" not found".into()),
        ]
    );
    assert_eq!(unschedulable(live.sim(), "n1"), Some(true));
    let undone = cordon::set_unschedulable(client, &gate, &nodes[..1], false)
        .await
        .expect("allowed");
    assert_eq!(undone[0].outcome, CordonOutcome::Changed);
    assert_eq!(
        unschedulable(live.sim(), "n1"),
        None,
        "the field is removed, as kubectl's patch does"
    );
}
