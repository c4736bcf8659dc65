//! Capturing what the cache holds (`kubesight snapshot -o`, `:snapshot FILE`) and
//! loading it back: the same screens as the live source showed at that moment.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{LiveApp, NOW};
use kubesight::app::Action;
use kubesight::app::tasks::TaskResult;
use kubesight::config::keymap::KeyAction;

fn kubesight(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubesight"))
        .args(args)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_STATE_HOME", home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// The screen without its first line (the header names the source) and its
/// last (the footer's startup note does too).
fn body(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    lines[1..lines.len() - 1].to_vec()
}

#[test]
fn a_capture_renders_as_the_live_source_did() {
    let home = tempfile::tempdir().expect("a temp dir");
    let file = home.path().join("capture.yaml");
    let file = file.to_str().expect("utf-8");
    let output = kubesight(
        &["--demo", "--now", NOW, "snapshot", "-o", file],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        // A live capture holds the kinds kubesight caches.
        text(&output.stderr).starts_with(&format!("wrote 178 objects to {file} (")),
        "{}",
        text(&output.stderr)
    );
    let saved = std::fs::read_to_string(file).expect("the capture");
    assert!(saved.starts_with(&format!(
        "# kubesight snapshot: 178 objects, captured at {NOW}.\n"
    )));
    assert!(!saved.contains("managedFields"));

    for view in ["pods", "nodes", "pdb"] {
        let live = kubesight(&["--demo", "--now", NOW, "render", view], home.path());
        let saved = kubesight(
            &["--snapshot", file, "--now", NOW, "render", view],
            home.path(),
        );
        assert_eq!(saved.status.code(), Some(0), "{}", text(&saved.stderr));
        let (live, saved) = (text(&live.stdout), text(&saved.stdout));
        assert_eq!(body(&live), body(&saved), "{view}");
        assert!(
            saved.lines().next().unwrap_or("").contains("snapshot"),
            "{saved}"
        );
    }
}

#[test]
fn the_snapshot_command_writes_the_cache_without_blocking_the_screen() {
    let home = tempfile::tempdir().expect("a temp dir");
    let file = home.path().join("from-tui.yaml");
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Command);
    live.type_text(&format!("snapshot {}", file.display()));
    live.update(Action::PromptSubmit);
    match live.finish_task() {
        TaskResult::Flash { text, is_error } => {
            assert!(!is_error, "{text}");
            assert!(text.starts_with("wrote 178 objects to "), "{text}");
        }
        other => panic!("expected a flash, got {other:?}"),
    }
    let screen = live.screen(120, 30);
    assert!(
        screen
            .lines()
            .last()
            .unwrap_or("")
            .contains("wrote 178 objects"),
        "{screen}"
    );
    let loaded = kubesight::cache::snapshot::load_path(&file).expect("the capture loads");
    assert_eq!(loaded.total(), 178);
    assert!(loaded.malformed.is_empty());

    // A file that cannot be written is an error in the footer.
    live.press(KeyAction::Command);
    live.type_text("snapshot /nonexistent-dir/x.yaml");
    live.update(Action::PromptSubmit);
    match live.finish_task() {
        TaskResult::Flash { text, is_error } => {
            assert!(is_error);
            assert!(
                text.starts_with("cannot write /nonexistent-dir/x.yaml: "),
                "{text}"
            );
        }
        other => panic!("expected a flash, got {other:?}"),
    }
}
