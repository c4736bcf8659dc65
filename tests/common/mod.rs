//! Shared by the integration tests: the demo cluster at a fixed instant, with no
//! user config, drawn exactly as the TUI would.
#![allow(dead_code)]

use clap::Parser;
use kubesight::app::App;
use kubesight::cli::{Cli, build_ready_app};

/// The instant the demo snapshot was captured: ages read as they did then.
pub const NOW: &str = "2026-11-23T12:00:00Z";

/// The app on the demo cluster (the in-process simulator, watched over HTTP like
/// any cluster), with extra command-line flags, once every store is listed.
pub fn demo_app(flags: &[&str]) -> App {
    let mut args = vec!["kubesight", "--demo", "--now", NOW];
    args.extend_from_slice(flags);
    let cli = Cli::try_parse_from(args).expect("valid flags");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime
        .block_on(build_ready_app(&cli, None))
        .unwrap_or_else(|f| panic!("demo app: {}", f.message));
    // The stores are complete; the app reads them without the network from here.
    runtime.shutdown_background();
    app
}

pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    kubesight::render::render_to_text(app, width, height)
}

/// Snapshots live in the top-level `snapshots/`, named by the test alone so that
/// the library tests and the CLI tests compare against the same files.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The rows of the table on a rendered screen, without borders, trimmed.
pub fn table_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(3)
        .take_while(|l| !l.starts_with('└'))
        .map(|l| {
            l.trim_start_matches('│')
                .trim_end_matches('│')
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The footer: the rows below the body's bottom border (a long message takes
/// several), joined as one line.
pub fn footer(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let bottom = lines
        .iter()
        .rposition(|l| l.starts_with('└'))
        .map_or(lines.len().saturating_sub(1), |at| at + 1);
    lines[bottom.min(lines.len())..]
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The demo app with its runtime kept running, so that what the app starts in the
/// background (fetches, writes) really happens, over HTTP, against the simulator.
pub struct LiveApp {
    pub app: App,
    pub runtime: tokio::runtime::Runtime,
    results: tokio::sync::mpsc::UnboundedReceiver<kubesight::app::tasks::TaskResult>,
}

impl LiveApp {
    pub fn new(flags: &[&str]) -> LiveApp {
        let mut args = vec!["kubesight", "--demo", "--now", NOW];
        args.extend_from_slice(flags);
        let cli = Cli::try_parse_from(args).expect("valid flags");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let mut app = runtime
            .block_on(build_ready_app(&cli, None))
            .unwrap_or_else(|f| panic!("demo app: {}", f.message));
        let results = app
            .tasks
            .take_receiver()
            .expect("a fresh app's task receiver");
        let mut live = LiveApp {
            app,
            runtime,
            results,
        };
        // The app asks the server which resources it serves as it starts;
        // tests begin once it knows, so the answer is not mistaken for theirs.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let result = live.try_finish_task(std::time::Duration::from_millis(200));
            if matches!(
                result,
                Some(kubesight::app::tasks::TaskResult::Discovered(_))
            ) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "discovery never answered"
            );
        }
        live
    }

    /// Applies `action` inside the runtime, as the UI loop does.
    pub fn update(&mut self, action: kubesight::app::Action) {
        let _inside = self.runtime.enter();
        self.app.update(action);
    }

    pub fn press(&mut self, key: kubesight::config::keymap::KeyAction) {
        self.update(kubesight::app::Action::Key(key));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.update(kubesight::app::Action::PromptInput(c));
        }
    }

    /// As [`LiveApp::finish_task`], but gives up after `wait`.
    pub fn try_finish_task(
        &mut self,
        wait: std::time::Duration,
    ) -> Option<kubesight::app::tasks::TaskResult> {
        let results = &mut self.results;
        let result = self
            .runtime
            .block_on(async { tokio::time::timeout(wait, results.recv()).await })
            .ok()??;
        self.update(kubesight::app::Action::Task(result.clone()));
        Some(result)
    }

    /// Waits for the next background task to finish and hands its result to the
    /// app, as the UI loop would.
    pub fn finish_task(&mut self) -> kubesight::app::tasks::TaskResult {
        let results = &mut self.results;
        let result = self
            .runtime
            .block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(20), results.recv()).await
            })
            .expect("a background task finishes within 20 s")
            .expect("the task channel stays open");
        self.update(kubesight::app::Action::Task(result.clone()));
        result
    }

    pub fn screen(&mut self, width: u16, height: u16) -> String {
        screen(&mut self.app, width, height)
    }
}

/// A kubeconfig whose user gets its credentials from `plugin` (a shell script),
/// for a server that is never reached.
pub fn kubeconfig_with_plugin(home: &std::path::Path, plugin: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = home.join("plugin.sh");
    std::fs::write(&script, format!("#!/bin/sh\n{plugin}\n")).expect("written");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let kubeconfig = home.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: http://127.0.0.1:9
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: {}
      interactiveMode: Never
contexts:
- name: ctx
  context:
    cluster: c
    user: u
current-context: ctx
",
            script.display()
        ),
    )
    .expect("written");
    kubeconfig
}
