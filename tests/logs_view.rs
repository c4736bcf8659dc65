//! `l`: logs through the keys, streamed from the simulator over HTTP.

mod common;

use std::time::Duration;

use common::{LiveApp, footer};
use kubesight::app::Action;
use kubesight::config::keymap::KeyAction;

fn wait_until(live: &mut LiveApp, what: &str, done: impl Fn(&LiveApp) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !done(live) {
        assert!(
            std::time::Instant::now() < deadline,
            "never: {what}:\n{}",
            live.screen(140, 30)
        );
        live.try_finish_task(Duration::from_millis(100));
        live.update(Action::Tick);
    }
}

fn buffered(live: &LiveApp) -> Vec<String> {
    live.app
        .logs
        .as_ref()
        .map(|l| l.buffer.lines().map(|line| line.text.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_pods_logs_stream_into_the_view_and_the_filter_keeps_matching_lines() {
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text("web-45dmd5frnr-m9ghv");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Logs);
    wait_until(&mut live, "log lines arrive", |l| buffered(l).len() >= 3);
    let lines = buffered(&live);
    let text = live.screen(140, 40);
    assert!(
        text.contains("Logs: Pod shop/web-45dmd5frnr-m9ghv"),
        "{text}"
    );
    // What is buffered is what is drawn, newest at the bottom.
    let last = lines.last().expect("a line");
    assert!(
        text.contains(last.as_str()),
        "{last:?} not on screen:\n{text}"
    );

    // A regular expression keeps only the lines it matches.
    let pattern = lines[0]
        .split_whitespace()
        .next()
        .expect("a word")
        .to_string();
    live.press(KeyAction::Filter);
    live.type_text(&regex_escape(&pattern));
    live.update(Action::PromptSubmit);
    let shown = live.screen(140, 40);
    let kept = lines.iter().filter(|l| l.contains(&pattern)).count();
    let dropped: Vec<&String> = lines.iter().filter(|l| !l.contains(&pattern)).collect();
    for line in &dropped {
        assert!(
            !shown.contains(line.as_str()),
            "{line:?} should be filtered out:\n{shown}"
        );
    }
    assert!(kept >= 1);

    live.press(KeyAction::Pause);
    assert_eq!(
        footer(&live.screen(140, 40)),
        "autoscroll paused (p resumes)"
    );
    live.press(KeyAction::Back); // clears the filter
    live.press(KeyAction::Back); // leaves the logs: the streams stop
    assert!(live.app.logs.is_none());
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

#[test]
fn a_workloads_logs_gather_every_pod_of_its_selector() {
    let mut live = LiveApp::new(&[]);
    {
        let _inside = live.runtime.enter();
        live.app.run_command(
            kubesight::app::command::parse("logs deploy/web --tail 2").expect("a command"),
        );
    }
    let text = live.screen(140, 40);
    assert!(
        text.contains("Logs: Deployment shop/web (app=web)"),
        "{text}"
    );
    wait_until(&mut live, "each of web's 3 pods streams", |l| {
        l.app
            .logs
            .as_ref()
            .is_some_and(|s| s.buffer.sources().len() == 3)
    });
    let text = live.screen(160, 40);
    assert!(
        text.contains("[pod/web-45dmd5frnr-"),
        "sources are prefixed:\n{text}"
    );
}

#[test]
fn the_log_view_with_its_last_two_lines() {
    let mut live = LiveApp::new(&[]);
    {
        let _inside = live.runtime.enter();
        live.app.run_command(
            kubesight::app::command::parse("logs pod/web-45dmd5frnr-m9ghv --tail 2 --timestamps")
                .expect("a command"),
        );
    }
    wait_until(&mut live, "two lines", |l| {
        buffered(l).len() == 2
            && l.app.logs.as_ref().is_some_and(|s| {
                s.states
                    .iter()
                    .all(|(_, state)| state.describe() == "following")
            })
    });
    live.update(Action::Tick);
    let text = live.screen(120, 12);
    common::snapshot_settings().bind(|| insta::assert_snapshot!("logs_pod_tail_2_120x12", text));
}
