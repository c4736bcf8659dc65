//! The drain in the TUI: the plan, the PDB view, the live timeline at fixed
//! moments (replayed events), and a drain started and cancelled through the keys
//! against the simulator.

mod common;

use std::time::Duration;

use common::{LiveApp, NOW, demo_app, footer, screen, snapshot_settings};
use kubesight::app::command::Command;
use kubesight::app::docs::DocKind;
use kubesight::app::drain_session::DrainSession;
use kubesight::app::tasks::TaskResult;
use kubesight::app::{Action, Mode};
use kubesight::config::keymap::KeyAction;
use kubesight::model::drain_event::{
    DrainEvent, DrainEventKind, DrainOutcome, DrainSummary, PodKey,
};

const FLAGS: &str = "--ignore-daemonsets --delete-emptydir-data --force";

fn drain_command(text: &str) -> Command {
    kubesight::app::command::parse(text).expect("a valid :drain command")
}

#[test]
fn the_plan_of_a_node_shows_every_pod_with_its_verdict() {
    let mut app = demo_app(&[]);
    app.run_command(drain_command(&format!("drain worker-1 {FLAGS}")));
    let text = screen(&mut app, 150, 50);
    snapshot_settings().bind(|| insta::assert_snapshot!("drain_plan_worker_1_150x50", text));
}

#[test]
fn the_pdb_view_lists_budgets_their_pods_and_the_drains_they_block() {
    let mut app = demo_app(&[]);
    app.run_command(Command::Pdb(None));
    let text = screen(&mut app, 120, 50);
    snapshot_settings().bind(|| insta::assert_snapshot!("pdb_120x50", text));
}

#[test]
fn from_a_pod_only_the_budgets_covering_it() {
    let mut app = demo_app(&[]);
    app.run_command(Command::Pdb(Some("pod/web-45dmd5frnr-sdlsm".into())));
    let text = screen(&mut app, 120, 30);
    assert!(
        text.contains("PodDisruptionBudgets covering Pod shop/web-45dmd5frnr-sdlsm"),
        "{text}"
    );
    assert!(text.contains("web-pdb"), "{text}");
    assert!(!text.contains("postgres-pdb"), "{text}");
    assert!(!text.contains("api-pdb"), "{text}");
}

fn at(seconds: i64) -> jiff::Timestamp {
    let now: jiff::Timestamp = NOW.parse().expect("an instant");
    now + jiff::SignedDuration::from_secs(seconds)
}

fn event(seconds: i64, kind: DrainEventKind) -> TaskResult {
    TaskResult::Drain(DrainEvent {
        at: at(seconds),
        kind,
    })
}

#[test]
fn the_timeline_at_fixed_moments() {
    let mut app = demo_app(&[]);
    app.drain = Some(DrainSession {
        nodes: vec!["worker-1".into()],
        timeline: Default::default(),
        handle: None,
    });
    app.push_doc(DocKind::DrainRun);
    let web = PodKey::new("shop", "web-45dmd5frnr-sdlsm");
    let pg = PodKey::new("data", "postgres-0");
    let first = [
        event(
            -40,
            DrainEventKind::Planned {
                pods: vec![
                    (web.clone(), "worker-1".into()),
                    (pg.clone(), "worker-1".into()),
                ],
                dry_run: false,
            },
        ),
        event(
            -40,
            DrainEventKind::Cordoned {
                node: "worker-1".into(),
                already: false,
                dry_run: false,
            },
        ),
        event(
            -39,
            DrainEventKind::Evicting {
                pod: web.clone(),
                attempt: 1,
                dry_run: false,
            },
        ),
        event(
            -39,
            DrainEventKind::Evicting {
                pod: pg.clone(),
                attempt: 1,
                dry_run: false,
            },
        ),
        event(
            -10,
            DrainEventKind::Accepted {
                pod: web.clone(),
                eviction: true,
                dry_run: false,
            },
        ),
        event(
            -9,
            DrainEventKind::Terminating {
                pod: web.clone(),
                // deletionTimestamp is when the grace period ends.
                deletion: at(20),
                grace_seconds: 30,
            },
        ),
        event(
            -5,
            DrainEventKind::Blocked {
                pod: pg.clone(),
                budget: Some("postgres-pdb".into()),
                message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
                detail:
                    "The disruption budget postgres-pdb needs 3 healthy pods and has 3 currently"
                        .into(),
                retry: 3,
                retry_after: Duration::from_secs(8),
                next_attempt: at(3),
            },
        ),
    ];
    for result in first {
        app.update(Action::Task(result));
    }
    let during = screen(&mut app, 120, 40);
    snapshot_settings().bind(|| insta::assert_snapshot!("drain_timeline_during_120x40", during));

    let second = [
        event(
            -6,
            DrainEventKind::Gone {
                pod: web.clone(),
                eviction: true,
            },
        ),
        event(
            -5,
            DrainEventKind::ReplacementScheduled {
                pod: web.clone(),
                replacement: "web-45dmd5frnr-x2k9d".into(),
                node: "worker-4".into(),
            },
        ),
        event(
            -2,
            DrainEventKind::ReplacementReady {
                pod: web.clone(),
                replacement: "web-45dmd5frnr-x2k9d".into(),
            },
        ),
        event(
            0,
            DrainEventKind::Cancelled {
                remaining: vec![(pg.clone(), "worker-1".into())],
            },
        ),
        event(
            0,
            DrainEventKind::Summary(DrainSummary {
                outcome: DrainOutcome::Cancelled,
                evicted: 1,
                deleted: 0,
                already_gone: 0,
                failed: vec![],
                remaining: vec![pg.clone()],
                elapsed: Duration::from_secs(40),
                dry_run: false,
            }),
        ),
    ];
    for result in second {
        app.update(Action::Task(result));
    }
    let after = screen(&mut app, 120, 40);
    snapshot_settings().bind(|| insta::assert_snapshot!("drain_timeline_cancelled_120x40", after));
}

/// Waits (through the app's own task results) until the timeline shows `wanted`.
fn wait_for_screen(live: &mut LiveApp, wanted: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let text = live.screen(140, 40);
        if text.contains(wanted) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the screen never showed {wanted:?}:\n{text}"
        );
        live.try_finish_task(Duration::from_millis(200));
    }
}

#[test]
fn a_drain_started_with_the_keys_cordons_evicts_and_cancels_leaving_the_node_cordoned() {
    let mut live = LiveApp::new(&[]);
    live.app
        .run_command(drain_command(&format!("drain worker-4 {FLAGS}")));
    live.press(KeyAction::Drain);
    let asking = live.screen(140, 40);
    let Mode::Confirm(confirm) = &live.app.mode else {
        panic!("D on a plan asks first:\n{asking}");
    };
    assert!(
        confirm
            .question
            .starts_with("drain worker-4: cordon, then remove "),
        "{}",
        confirm.question
    );
    live.update(Action::PromptInput('y'));
    // Without a kubelet (the demo at a fixed instant) evicted pods stay
    // terminating, so the drain waits until it is cancelled.
    wait_for_screen(&mut live, "terminating");
    live.press(KeyAction::Cancel);
    assert_eq!(
        footer(&live.screen(140, 40)),
        "cancelling the drain of worker-4: the nodes stay cordoned"
    );
    // The summary ends the timeline: cancelled, with the pods still there.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let summary = loop {
        if let Some(summary) = live
            .app
            .drain
            .as_ref()
            .and_then(|d| d.timeline.summary.clone())
        {
            break summary;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the drain never ended"
        );
        live.try_finish_task(Duration::from_millis(200));
    };
    assert_eq!(summary.outcome, DrainOutcome::Cancelled);
    assert!(
        summary
            .remaining
            .contains(&PodKey::new("data", "postgres-1")),
        "{summary:?}"
    );
    // The cordon reached the API server: the watch brings it back into the cache.
    let node = live
        .app
        .cache
        .stores
        .get_value(kubesight::cache::Kind::Node, "", "worker-4")
        .expect("worker-4 is cached");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut unschedulable = node.pointer("/spec/unschedulable").cloned();
    while unschedulable != Some(serde_json::Value::Bool(true)) {
        assert!(
            std::time::Instant::now() < deadline,
            "worker-4 was never cordoned"
        );
        std::thread::sleep(Duration::from_millis(50));
        unschedulable = live
            .app
            .cache
            .stores
            .get_value(kubesight::cache::Kind::Node, "", "worker-4")
            .and_then(|n| n.pointer("/spec/unschedulable").cloned());
    }
}

#[test]
fn readonly_refuses_the_drain_and_the_cordon_before_anything_is_sent() {
    let mut live = LiveApp::new(&["--readonly"]);
    live.app
        .run_command(drain_command(&format!("drain worker-4 {FLAGS}")));
    live.press(KeyAction::Drain);
    assert_eq!(live.app.mode, Mode::Normal);
    assert_eq!(
        footer(&live.screen(140, 40)),
        "refused: kubesight is running with --readonly"
    );
    live.press(KeyAction::Back);
    live.app.run_command(Command::Nodes);
    live.press(KeyAction::Cordon);
    assert_eq!(live.app.mode, Mode::Normal);
    assert!(live.app.drain.is_none());
    std::thread::sleep(Duration::from_millis(300));
    let node = live
        .app
        .cache
        .stores
        .get_value(kubesight::cache::Kind::Node, "", "worker-4")
        .expect("worker-4 is cached");
    assert_eq!(node.pointer("/spec/unschedulable"), None);
}

fn top_is_the_timeline(live: &LiveApp) -> bool {
    matches!(
        live.app.stack.last(),
        Some(kubesight::app::views::Screen::Doc {
            kind: DocKind::DrainRun,
            ..
        })
    )
}

/// The seconds left in the first `terminating (Ns of` on the screen.
fn grace_left(text: &str) -> i64 {
    let at = text.find("terminating (").expect("a terminating pod") + "terminating (".len();
    text[at..]
        .split('s')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no countdown in {text}"))
}

#[test]
fn a_running_drain_is_reopened_by_d_and_by_drain_alone_and_counts_down_after_a_cancel() {
    let mut live = LiveApp::new(&[]);
    live.app
        .run_command(drain_command(&format!("drain worker-4 {FLAGS}")));
    live.press(KeyAction::Drain);
    live.update(Action::PromptInput('y'));
    wait_for_screen(&mut live, "terminating");

    // Back on the plan, D shows the drain rather than refusing to start another.
    live.press(KeyAction::Back);
    assert!(!top_is_the_timeline(&live));
    live.press(KeyAction::Drain);
    assert!(
        top_is_the_timeline(&live),
        "D on the plan of a draining node:\n{}",
        live.screen(140, 40)
    );

    // From the nodes, D on the draining node.
    live.app.run_command(drain_command("nodes")); // any command parses
    live.press(KeyAction::Filter);
    live.type_text("worker-4");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Drain);
    assert!(
        top_is_the_timeline(&live),
        "D on a draining node:\n{}",
        live.screen(140, 40)
    );
    let depth = live.app.stack.len();

    // `:drain` alone, from anywhere.
    live.app.run_command(drain_command("pods"));
    live.app.run_command(drain_command("drain"));
    assert!(top_is_the_timeline(&live));
    assert!(
        live.app.stack.len() <= depth,
        "the timeline is on the stack once"
    );

    live.press(KeyAction::Cancel);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while live
        .app
        .drain
        .as_ref()
        .is_none_or(|d| d.timeline.summary.is_none())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the drain never ended"
        );
        live.try_finish_task(Duration::from_millis(200));
    }
    // Evicted pods keep terminating after the cancel, and their countdown moves.
    let before = grace_left(&live.screen(140, 40));
    let now = live.app.clock.now();
    live.app.clock = kubesight::clock::Clock::Fixed(now + jiff::SignedDuration::from_secs(5));
    live.update(Action::Tick);
    let after = grace_left(&live.screen(140, 40));
    assert_eq!(after, before - 5, "the countdown froze");
}
