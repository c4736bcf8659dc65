//! `y`: an object as YAML. From a live source the full object is read from the API
//! server (over HTTP, from the simulator); from files it is shown as saved.

mod common;

use common::{LiveApp, demo_app, screen, snapshot_settings};
use kubesight::app::Action;
use kubesight::app::tasks::TaskResult;
use kubesight::clipboard::RecordingClipboard;
use kubesight::config::keymap::KeyAction;

const POD: &str = "etl-worker-pd9zp8nlhh-cqxzx";

/// The demo app with the cursor on [`POD`] and its YAML opened.
fn yaml_of_pod() -> LiveApp {
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text(POD);
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Yaml);
    live
}

#[test]
fn yaml_of_a_live_pod_is_read_in_full_from_the_server() {
    let mut live = yaml_of_pod();
    let before = live.screen(100, 30);
    assert!(
        before.contains("│ # from the watch cache (without managedFields; a pod only with the fields views read)"),
        "{before}"
    );
    match live.finish_task() {
        TaskResult::Fetched { target, result } => {
            assert_eq!(
                (target.namespace.as_str(), target.name.as_str()),
                ("data", POD)
            );
            assert!(result.is_ok(), "{result:?}");
        }
        other => panic!("expected the fetch, got {other:?}"),
    }
    let text = live.screen(100, 30);
    snapshot_settings().bind(|| insta::assert_snapshot!("yaml_live_pod_100x30", text));
}

#[test]
fn search_moves_the_cursor_to_each_match_and_copy_takes_the_yaml() {
    let mut live = yaml_of_pod();
    live.finish_task();
    let copied = RecordingClipboard::default();
    live.app.clipboard = Box::new(copied.clone());
    live.press(KeyAction::Filter);
    live.type_text("exitCode: 137");
    live.update(Action::PromptSubmit);
    let text = live.screen(100, 30);
    // The current and the last termination both exited 137 (OOMKilled).
    assert!(
        text.contains("yaml Pod data/etl-worker-pd9zp8nlhh-cqxzx </exitCode: 137> 2 matches"),
        "{text}"
    );
    let cursor = |live: &LiveApp| {
        let kubesight::app::views::Screen::Doc { view, .. } = live.app.screen() else {
            panic!("the YAML is on top");
        };
        (view.selected, view.doc.lines[view.selected].text())
    };
    let (first, line) = cursor(&live);
    assert_eq!(line.trim(), "exitCode: 137");
    live.press(KeyAction::NextMatch);
    let (second, line) = cursor(&live);
    assert!(second > first, "{first} then {second}");
    assert_eq!(line.trim(), "exitCode: 137");
    live.press(KeyAction::NextMatch);
    assert_eq!(cursor(&live).0, first, "the search wraps around");

    live.press(KeyAction::CopyYaml);
    let text = live.screen(100, 30);
    assert_eq!(common::footer(&text), "copied YAML to the recording");
    live.press(KeyAction::CopyName);
    let copies = copied.0.lock().expect("the recording").clone();
    assert_eq!(copies.len(), 2);
    assert!(
        copies[0].starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"),
        "{}",
        copies[0]
    );
    assert!(copies[0].contains(&format!("  name: {POD}\n")));
    assert_eq!(copies[1], POD);
}

#[test]
fn a_saved_object_is_shown_as_the_file_has_it() {
    let mut app = demo_app(&[]);
    app.update(Action::Key(KeyAction::Command));
    for c in "nodes".chars() {
        app.update(Action::PromptInput(c));
    }
    app.update(Action::PromptSubmit);
    app.update(Action::Key(KeyAction::Yaml));
    let text = screen(&mut app, 80, 12);
    // The demo app's runtime is gone: no fetch ran, the cache copy is shown.
    assert!(text.contains("yaml Node cp-1"), "{text}");
    assert!(text.contains("│ # from the watch cache"), "{text}");
}
