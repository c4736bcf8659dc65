//! `e`: the label and annotation editor, through the keys, against the simulator.

mod common;

use std::time::Duration;

use common::{LiveApp, footer, snapshot_settings};
use kubesight::app::tasks::TaskResult;
use kubesight::app::{Action, Mode};
use kubesight::cache::Kind;
use kubesight::config::keymap::KeyAction;

const POD: &str = "api-xc8k88h8p5-glkvf";

fn open_editor_on_pod(flags: &[&str]) -> LiveApp {
    let mut live = LiveApp::new(flags);
    live.press(KeyAction::Filter);
    live.type_text(POD);
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Edit);
    live
}

fn type_changes(live: &mut LiveApp, changes: &str) {
    live.press(KeyAction::Edit);
    assert!(matches!(live.app.mode, Mode::EditLabels(_)));
    live.type_text(changes);
    live.update(Action::PromptSubmit);
}

/// Waits for the label-edit answer, passing other task results (the Service
/// listing) to the app as they come.
fn wait_for_labels_applied(live: &mut LiveApp) {
    loop {
        if let TaskResult::LabelsApplied(_) = live.finish_task() {
            return;
        }
    }
}

fn server_label(
    live: &LiveApp,
    kind: Kind,
    namespace: &str,
    name: &str,
    key: &str,
) -> Option<String> {
    live.app
        .cache
        .stores
        .get_value(kind, namespace, name)
        .and_then(|v| v.pointer(&format!("/metadata/labels/{key}")).cloned())
        .and_then(|v| v.as_str().map(str::to_string))
}

fn wait_for_label(
    live: &LiveApp,
    kind: Kind,
    namespace: &str,
    name: &str,
    key: &str,
    want: Option<&str>,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server_label(live, kind, namespace, name, key).as_deref() != want {
        assert!(
            std::time::Instant::now() < deadline,
            "{name} never got {key}={want:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn relabelling_a_pod_warns_it_would_be_orphaned_then_applies_after_confirmation() {
    let mut live = open_editor_on_pod(&[]);
    // The Service listing answers first (the simulator serves none).
    live.finish_task();
    type_changes(&mut live, "app=api-debug team=payments");
    let text = live.screen(130, 40);
    snapshot_settings().bind(|| insta::assert_snapshot!("labels_editor_pod_130x40", text));
    live.press(KeyAction::Select);
    let Mode::Confirm(confirm) = &live.app.mode else {
        panic!("enter asks before applying");
    };
    assert!(
        confirm
            .question
            .starts_with("change the labels of 1 object despite "),
        "{}",
        confirm.question
    );
    live.update(Action::PromptInput('y'));
    wait_for_labels_applied(&mut live);
    assert_eq!(footer(&live.screen(130, 40)), "applied to 1 object");
    wait_for_label(&live, Kind::Pod, "shop", POD, "team", Some("payments"));
    wait_for_label(&live, Kind::Pod, "shop", POD, "app", Some("api-debug"));
}

#[test]
fn a_conflicting_change_on_the_server_keeps_the_edit_and_reapplies() {
    let mut live = LiveApp::new(&[]);
    live.app
        .run_command(kubesight::app::command::Command::Nodes);
    // worker-4 is the last node: G goes there.
    live.press(KeyAction::Bottom);
    live.press(KeyAction::Edit);
    type_changes(&mut live, "pool=batch");
    // Someone else changes the node meanwhile.
    let client = live.app.client.clone().expect("a live client");
    live.runtime.block_on(async {
        let nodes: kube::Api<k8s_openapi::api::core::v1::Node> = kube::Api::all(client);
        let patch = serde_json::json!({"metadata": {"labels": {"zone": "b"}}});
        nodes
            .patch(
                "worker-4",
                &kube::api::PatchParams::default(),
                &kube::api::Patch::Merge(&patch),
            )
            .await
            .expect("the other writer's patch");
    });
    live.press(KeyAction::Select);
    live.update(Action::PromptInput('y'));
    wait_for_labels_applied(&mut live);
    let text = live.screen(130, 40);
    assert!(
        footer(&text).starts_with("1 changed on the server meanwhile: your edit is kept"),
        "{text}"
    );
    assert!(
        text.contains("zone"),
        "the conflict shows what changed:\n{text}"
    );
    assert_eq!(
        server_label(&live, Kind::Node, "", "worker-4", "pool"),
        None
    );
    // Apply again: now against the server's resourceVersion.
    live.press(KeyAction::Select);
    live.update(Action::PromptInput('y'));
    wait_for_labels_applied(&mut live);
    assert_eq!(footer(&live.screen(130, 40)), "applied to 1 object");
    wait_for_label(&live, Kind::Node, "", "worker-4", "pool", Some("batch"));
    wait_for_label(&live, Kind::Node, "", "worker-4", "zone", Some("b"));
}

#[test]
fn an_invalid_key_is_refused_before_any_request() {
    let mut live = open_editor_on_pod(&[]);
    type_changes(&mut live, "bad_key!=x");
    live.press(KeyAction::Select);
    assert_eq!(live.app.mode, Mode::Normal);
    let text = live.screen(130, 40);
    assert_eq!(footer(&text), "fix the errors shown before applying");
    assert!(
        text.contains("metadata.labels: Invalid value: \"bad_key!\""),
        "{text}"
    );
}

#[test]
fn readonly_refuses_the_edit_and_sends_nothing() {
    let mut live = open_editor_on_pod(&["--readonly"]);
    type_changes(&mut live, "team=x");
    live.press(KeyAction::Select);
    assert_eq!(live.app.mode, Mode::Normal);
    assert_eq!(
        footer(&live.screen(130, 40)),
        "refused: kubesight is running with --readonly"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server_label(&live, Kind::Pod, "shop", POD, "team"), None);
}
