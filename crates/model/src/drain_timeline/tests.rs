use std::time::Duration;

use super::*;
use crate::cluster::Kind;
use crate::doc::ObjectRef;
use crate::drain_event::{DrainEvent, DrainEventKind, DrainOutcome, DrainSummary, PodKey};

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_795_000_000 + seconds).expect("a valid instant")
}

fn web() -> PodKey {
    PodKey::new("shop", "web-1")
}

fn ev(seconds: i64, kind: DrainEventKind) -> DrainEvent {
    DrainEvent {
        at: t(seconds),
        kind,
    }
}

fn blocked(seconds: i64, retry: u32, after: u64) -> DrainEvent {
    ev(
        seconds,
        DrainEventKind::Blocked {
            pod: web(),
            budget: Some("web-pdb".into()),
            message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
            detail: "The disruption budget web-pdb needs 3 healthy pods and has 3 currently".into(),
            retry,
            retry_after: Duration::from_secs(after),
            next_attempt: t(seconds + after as i64),
        },
    )
}

fn story() -> Vec<DrainEvent> {
    vec![
        ev(
            0,
            DrainEventKind::Planned {
                pods: vec![(web(), "n1".into())],
                dry_run: false,
            },
        ),
        ev(
            0,
            DrainEventKind::Cordoned {
                node: "n1".into(),
                already: false,
                dry_run: false,
            },
        ),
        ev(
            0,
            DrainEventKind::Evicting {
                pod: web(),
                attempt: 1,
                dry_run: false,
            },
        ),
        blocked(0, 1, 1),
        ev(
            1,
            DrainEventKind::Evicting {
                pod: web(),
                attempt: 2,
                dry_run: false,
            },
        ),
        blocked(1, 2, 2),
        ev(
            3,
            DrainEventKind::Evicting {
                pod: web(),
                attempt: 3,
                dry_run: false,
            },
        ),
        ev(
            3,
            DrainEventKind::Accepted {
                pod: web(),
                eviction: true,
                dry_run: false,
            },
        ),
        ev(
            3,
            DrainEventKind::Terminating {
                pod: web(),
                deletion: t(33),
                grace_seconds: 30,
            },
        ),
        ev(
            4,
            DrainEventKind::ReplacementScheduled {
                pod: web(),
                replacement: "web-2".into(),
                node: "n2".into(),
            },
        ),
        ev(
            33,
            DrainEventKind::Gone {
                pod: web(),
                eviction: true,
            },
        ),
        ev(
            35,
            DrainEventKind::ReplacementReady {
                pod: web(),
                replacement: "web-2".into(),
            },
        ),
        ev(
            35,
            DrainEventKind::NodeDrained {
                node: "n1".into(),
                dry_run: false,
            },
        ),
    ]
}

#[test]
fn stages_follow_the_events() {
    let mut timeline = Timeline::new();
    let events = story();
    for event in &events[..4] {
        timeline.apply(event);
    }
    let pod = timeline.pod(&web()).expect("the pod");
    assert_eq!(
        stage_text(&pod.stage, t(0)).0,
        "blocked by PDB web-pdb (retry 1, next in 1s)"
    );
    for event in &events[4..9] {
        timeline.apply(event);
    }
    let pod = timeline.pod(&web()).expect("the pod");
    assert_eq!(
        stage_text(&pod.stage, t(10)).0,
        "terminating (23s of 30s grace left)"
    );
    for event in &events[9..] {
        timeline.apply(event);
    }
    let pod = timeline.pod(&web()).expect("the pod");
    assert_eq!(pod.stage, Stage::Gone { eviction: true });
    assert_eq!(
        pod.replacement,
        Some(Replacement {
            name: "web-2".into(),
            node: "n2".into(),
            ready: true
        })
    );
    assert_eq!(pod.history.len(), 11);
    assert_eq!(timeline.nodes, vec![("n1".to_string(), NodeStage::Drained)]);
}

#[test]
fn the_document_shows_stages_history_and_summary() {
    let mut timeline = Timeline::new();
    for event in story() {
        timeline.apply(&event);
    }
    timeline.apply(&ev(
        35,
        DrainEventKind::Summary(DrainSummary {
            outcome: DrainOutcome::Completed,
            evicted: 1,
            deleted: 0,
            already_gone: 0,
            failed: vec![],
            remaining: vec![],
            elapsed: Duration::from_millis(35_200),
            dry_run: false,
        }),
    ));
    let doc = timeline_doc(&timeline, t(40));
    assert_eq!(
        doc.to_text(),
        "\
Nodes
NODE  STATE
n1    drained

Pods
POD         NODE  STAGE  REPLACEMENT
shop/web-1  n1    gone   web-2 Ready on n2

History
shop/web-1
  +0s    planned
  +0s    evicting
  +0s    blocked by PDB web-pdb (retry 1, next in 1s)
  +1s    evicting (attempt 2)
  +1s    blocked by PDB web-pdb (retry 2, next in 2s)
  +3s    evicting (attempt 3)
  +3s    evicted, awaiting termination
  +3s    terminating (30s of 30s grace left)
  +4s    replacement web-2 scheduled on node n2
  +33s   gone
  +35s   replacement web-2 Ready

Summary
Outcome:      completed
Evicted:      1
Deleted:      0
Already gone: 0
Failed:       0
Remaining:    0
Elapsed:      35.2s
"
    );
    assert_eq!(doc.title, "Drain n1");
    assert_eq!(
        doc.lines[2].target,
        Some(ObjectRef::new(Kind::Node, "", "n1"))
    );
}

#[test]
fn lines_match_kubectl() {
    let lines: Vec<String> = story().iter().map(event_line).collect();
    assert_eq!(
        lines,
        vec![
            "draining 1 pods",
            "node/n1 cordoned",
            "evicting pod shop/web-1",
            "error when evicting pods/\"web-1\" -n \"shop\" (will retry after 1s): Cannot evict pod as it would violate the pod's disruption budget.",
            "evicting pod shop/web-1",
            "error when evicting pods/\"web-1\" -n \"shop\" (will retry after 2s): Cannot evict pod as it would violate the pod's disruption budget.",
            "evicting pod shop/web-1",
            "eviction of pod shop/web-1 accepted",
            "pod/web-1 terminating (grace period 30s)",
            "pod/web-1: replacement pod/web-2 scheduled on node/n2",
            "pod/web-1 evicted",
            "pod/web-1: replacement pod/web-2 Ready",
            "node/n1 drained",
        ]
    );
    let timed_out = ev(
        8,
        DrainEventKind::TimedOut {
            after: Duration::from_secs(8),
            remaining: vec![
                (web(), "n1".into()),
                (PodKey::new("shop", "web-3"), "n1".into()),
            ],
        },
    );
    assert_eq!(
        event_line(&timed_out),
        "There are pending pods in node \"n1\" when an error occurred: global timeout reached: 8s\npod/web-1\npod/web-3"
    );
    let dry = ev(
        0,
        DrainEventKind::Cordoned {
            node: "node-46".into(),
            already: false,
            dry_run: true,
        },
    );
    assert_eq!(event_line(&dry), "node/node-46 cordoned (server dry run)");
}

#[test]
fn a_dry_run_shows_verdicts() {
    let mut timeline = Timeline::new();
    let db = PodKey::new("shop", "db-0");
    let events = vec![
        ev(
            0,
            DrainEventKind::Planned {
                pods: vec![(web(), "n1".into()), (db.clone(), "n1".into())],
                dry_run: true,
            },
        ),
        ev(
            0,
            DrainEventKind::Accepted {
                pod: web(),
                eviction: true,
                dry_run: true,
            },
        ),
        ev(
            0,
            DrainEventKind::Blocked {
                pod: db.clone(),
                budget: None,
                message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
                detail: String::new(),
                retry: 0,
                retry_after: Duration::ZERO,
                next_attempt: t(0),
            },
        ),
    ];
    for event in &events {
        timeline.apply(event);
    }
    let texts: Vec<String> = timeline
        .pods
        .iter()
        .map(|p| stage_text(&p.stage, t(1)).0)
        .collect();
    assert_eq!(
        texts,
        [
            "would be evicted (server dry run)",
            "would be blocked by a disruption budget (server dry run)"
        ]
    );
    assert_eq!(
        timeline_doc(&timeline, t(1)).title,
        "Drain n1 (server dry run)"
    );
    assert_eq!(
        event_line(&events[2]),
        "error when evicting pods/\"db-0\" -n \"shop\": Cannot evict pod as it would violate the pod's disruption budget."
    );
}

#[test]
fn a_cancel_leaves_untouched_pods_in_place_and_evicted_ones_terminating() {
    let api = PodKey::new("shop", "api-1");
    let mut timeline = Timeline::new();
    for event in [
        ev(
            0,
            DrainEventKind::Planned {
                pods: vec![(web(), "n1".into()), (api.clone(), "n1".into())],
                dry_run: false,
            },
        ),
        ev(
            1,
            DrainEventKind::Terminating {
                pod: api.clone(),
                deletion: t(31),
                grace_seconds: 30,
            },
        ),
        blocked(2, 1, 4),
        ev(
            3,
            DrainEventKind::Cancelled {
                remaining: vec![(web(), "n1".into()), (api.clone(), "n1".into())],
            },
        ),
    ] {
        timeline.apply(&event);
    }
    let stage = |key: &PodKey| stage_text(&timeline.pod(key).expect("planned").stage, t(3)).0;
    assert_eq!(stage(&web()), "left in place: drain cancelled");
    assert_eq!(stage(&api), "terminating (28s of 30s grace left)");
}

#[test]
fn after_a_cancel_the_cache_says_which_terminating_pods_are_gone() {
    let api = PodKey::new("shop", "api-1");
    let db = PodKey::new("data", "db-0");
    let slow = PodKey::new("shop", "slow-1");
    let pods = [&web(), &api, &db, &slow];
    let mut timeline = Timeline::new();
    timeline.apply(&ev(
        0,
        DrainEventKind::Planned {
            pods: pods.iter().map(|p| ((*p).clone(), "n1".into())).collect(),
            dry_run: false,
        },
    ));
    for pod in [&api, &db, &slow] {
        timeline.apply(&ev(
            1,
            DrainEventKind::Terminating {
                pod: pod.clone(),
                deletion: t(31),
                grace_seconds: 30,
            },
        ));
    }
    let remaining: Vec<(PodKey, String)> =
        pods.iter().map(|p| ((*p).clone(), "n1".into())).collect();
    timeline.apply(&ev(3, DrainEventKind::Cancelled { remaining }));
    // While the drain runs, its own events say; only after its end the cache.
    let cache = |key: &PodKey| match key.name.as_str() {
        "api-1" => None,                     // deleted
        "db-0" => Some(t(20)),               // the StatefulSet's new db-0
        "slow-1" | "web-1" => Some(t(-600)), // the same pods, still there
        _ => None,
    };
    timeline.settle_after_end(t(25), cache);
    assert_eq!(
        timeline.pod(&api).map(|p| &p.stage),
        Some(&Stage::Terminating {
            deletion: t(31),
            grace_seconds: 30
        }),
        "no summary yet: the drain may still report"
    );
    timeline.apply(&ev(
        4,
        DrainEventKind::Summary(DrainSummary {
            outcome: DrainOutcome::Cancelled,
            evicted: 0,
            deleted: 0,
            already_gone: 0,
            failed: vec![],
            remaining: pods.iter().map(|p| (*p).clone()).collect(),
            elapsed: Duration::from_secs(4),
            dry_run: false,
        }),
    ));
    timeline.settle_after_end(t(25), cache);
    let stage = |key: &PodKey| stage_text(&timeline.pod(key).expect("planned").stage, t(25)).0;
    assert_eq!(stage(&api), "gone");
    assert_eq!(stage(&db), "gone", "its name belongs to a newer pod");
    assert_eq!(stage(&slow), "terminating (6s of 30s grace left)");
    assert_eq!(stage(&web()), "left in place: drain cancelled");
}
