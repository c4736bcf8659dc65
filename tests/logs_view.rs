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

    // The title's count and the body's are the same number: the state line,
    // which quotes the pattern, is not a log line.
    let title_count = count_before(&shown, " matches");
    let body_count = count_before(&shown, " matching");
    assert_eq!(title_count, body_count, "{shown}");
    assert!(
        shown.contains("· container web"),
        "the title names the container:\n{shown}"
    );

    live.press(KeyAction::Pause);
    assert_eq!(
        footer(&live.screen(140, 40)),
        "autoscroll paused (p resumes)"
    );
    live.press(KeyAction::Back); // clears the filter, stays in the logs
    assert!(live.app.logs.is_some(), "Esc with a filter left the logs");
    let unfiltered = live.screen(140, 40);
    assert!(!unfiltered.contains("matching"), "{unfiltered}");
    for line in &dropped {
        assert!(
            unfiltered.contains(line.as_str()),
            "{line:?} back:\n{unfiltered}"
        );
    }
    live.press(KeyAction::Back); // leaves the logs: the streams stop
    assert!(live.app.logs.is_none());
}

/// The number just before `word` on the screen (`19 matches` → 19).
fn count_before(screen: &str, word: &str) -> usize {
    let at = screen
        .find(word)
        .unwrap_or_else(|| panic!("no {word:?}:\n{screen}"));
    screen[..at]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count before {word:?}:\n{screen}"))
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

#[test]
fn previous_from_the_log_view_shows_the_last_runs_whole_log() {
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text("payments-");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Logs);
    live.press(KeyAction::Previous);
    // Previous logs are not followed: the stream ends after the last line.
    wait_until(&mut live, "the previous run's stream ends", |l| {
        l.app.logs.as_ref().is_some_and(|s| {
            !s.states.is_empty()
                && s.states.iter().all(|(_, state)| {
                    matches!(state, kubesight::model::log_view::StreamState::Ended { .. })
                })
        })
    });
    let lines = buffered(&live);
    assert!(lines.len() >= 2, "the whole log, not --tail 0: {lines:?}");
    let text = live.screen(140, 40);
    for line in &lines {
        assert!(text.contains(line.as_str()), "{line:?} not shown:\n{text}");
    }
}
