//! A table of any kind at 50,000 objects (ConfigMaps printed by kubectl's
//! printer, from files): a frame must cost what the visible rows cost (target
//! ≤ 2 ms), a filter key one pass (target ≤ 20 ms). Before the benchmarks it
//! prints the resident memory each object's row costs. Run:
//! `cargo bench --bench generic_table`.

use divan::Bencher;
use kubesight::app::{Action, App, SourceInfo};
use kubesight::cache::{Objects, new_cache};
use kubesight::clock::Clock;
use kubesight::config::keymap::{KeyAction, Keymap};
use kubesight::config::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

const OBJECTS: usize = 50_000;

fn main() {
    report_memory();
    divan::main();
}

/// ConfigMaps across 50 namespaces, each with a few keys and labels.
fn config_maps(count: usize) -> Objects {
    let mut objects = Objects::default();
    for i in 0..count {
        let tier = ["web", "api", "db"][i % 3];
        objects.others.push(json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": format!("settings-{i:06}"),
                "namespace": format!("team-{:02}", i % 50),
                "uid": format!("00000000-0000-0000-0000-{i:012}"),
                "creationTimestamp": format!("2026-11-{:02}T12:00:00Z", 1 + i % 20),
                "labels": {"app": format!("app-{}", i % 300), "tier": tier},
            },
            "data": {"a": "1", "b": "2", "c": format!("{i}")},
        }));
    }
    objects
}

fn app_with(count: usize) -> App {
    let now = "2026-11-23T12:00:00Z".parse().expect("valid instant");
    let (cache, mut writers) = new_cache();
    cache.replace_all(&mut writers, config_maps(count));
    let source = SourceInfo {
        label: "bench".into(),
        context: "bench".into(),
    };
    let mut app = App::new(
        cache,
        Clock::Fixed(now),
        Theme::default_dark(),
        Keymap::default_keys(),
        source,
    );
    app.update(Action::Resize(200, 60));
    app
}

fn open_config_maps(app: &mut App) {
    app.open_resource("cm").expect("configmaps resolve");
}

fn resident_kib() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4)
}

/// Resident memory of the open table per object: the session's rows (cells
/// and metadata) and the view's, over the objects already loaded.
fn report_memory() {
    let mut app = app_with(OBJECTS);
    kubesight::memory::release_free_memory();
    let before = resident_kib();
    open_config_maps(&mut app);
    kubesight::memory::release_free_memory();
    let after = resident_kib();
    println!(
        "generic table of {OBJECTS} ConfigMaps: {} KiB resident for the table, {} bytes per object",
        after.saturating_sub(before),
        after.saturating_sub(before) * 1024 / OBJECTS
    );
}

#[divan::bench(sample_count = 50)]
fn frame_200x60(bencher: Bencher) {
    let mut app = app_with(OBJECTS);
    open_config_maps(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    bencher.bench_local(|| {
        app.update(Action::Key(KeyAction::Down));
        terminal
            .draw(|frame| kubesight::ui::draw(frame, &app))
            .map(|_| ())
    });
}

#[divan::bench(sample_count = 50)]
fn filter_key(bencher: Bencher) {
    let mut app = app_with(OBJECTS);
    open_config_maps(&mut app);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        app.apply_filter_text(if flip { "settings-01" } else { "tier=web" })
    });
}

#[divan::bench(sample_count = 10)]
fn open_the_table(bencher: Bencher) {
    let mut app = app_with(OBJECTS);
    bencher.bench_local(|| open_config_maps(&mut app));
}
