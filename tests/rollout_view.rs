//! `r` then `u`: a rollback chosen in the rollout view reaches the API server.

mod common;

use std::time::Duration;

use common::{LiveApp, footer};
use kubesight::app::views::Screen;
use kubesight::app::{Action, Mode};
use kubesight::cache::Kind;
use kubesight::config::keymap::KeyAction;

#[test]
fn undo_to_a_chosen_revision_after_confirmation() {
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text("web-45dmd5frnr-m9ghv");
    live.update(Action::PromptSubmit);
    // r on a pod opens its Deployment's rollout.
    live.press(KeyAction::Rollout);
    let text = live.screen(120, 30);
    assert!(text.contains("Rollout Deployment/shop/web"), "{text}");
    // Down to the history row of revision 1.
    let row = match live.app.screen() {
        Screen::Doc { view, .. } => view
            .doc
            .lines
            .iter()
            .position(|l| l.text().starts_with("1 "))
            .expect("revision 1 is listed"),
        _ => panic!("the rollout is on top"),
    };
    for _ in 0..row {
        live.press(KeyAction::Down);
    }
    // d shows the diff (the cursor goes to it); u still means revision 1.
    live.press(KeyAction::Diff);
    let text = live.screen(120, 30);
    assert!(text.contains("Diff of revision 3 → 1"), "{text}");
    live.press(KeyAction::Undo);
    let Mode::Confirm(confirm) = &live.app.mode else {
        panic!("undo asks first");
    };
    assert_eq!(
        confirm.question,
        "roll Deployment shop/web back to revision 1?"
    );
    live.update(Action::PromptInput('y'));
    live.finish_task();
    assert_eq!(
        footer(&live.screen(120, 30)),
        "Deployment shop/web rolled back to revision 1"
    );
    // The watch brings the Deployment's new template back.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let image = live
            .app
            .cache
            .stores
            .get_value(Kind::Deployment, "shop", "web")
            .and_then(|d| {
                d.pointer("/spec/template/spec/containers/0/image")
                    .and_then(|i| i.as_str().map(str::to_string))
            });
        if image.as_deref() == Some("nginx:1.25.4") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "image is {image:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn undo_is_refused_in_readonly() {
    let mut live = LiveApp::new(&["--readonly"]);
    {
        let _inside = live.runtime.enter();
        live.app
            .run_command(kubesight::app::command::parse("rollout deploy/web").expect("a command"));
    }
    let row = match live.app.screen() {
        Screen::Doc { view, .. } => view
            .doc
            .lines
            .iter()
            .position(|l| l.text().starts_with("2 "))
            .expect("revision 2 is listed"),
        _ => panic!("the rollout is on top"),
    };
    for _ in 0..row {
        live.press(KeyAction::Down);
    }
    live.press(KeyAction::Undo);
    assert_eq!(live.app.mode, Mode::Normal);
    assert_eq!(
        footer(&live.screen(120, 30)),
        "refused: kubesight is running with --readonly"
    );
}
