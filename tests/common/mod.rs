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

/// The footer line.
pub fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or("").trim().to_string()
}
