//! Rendering and filtering cost against cluster size. A frame must cost what the
//! visible rows cost (target ≤ 2 ms at 100k pods); a filter is one pass over the
//! rows (target ≤ 20 ms at 100k pods). Run: `cargo bench --bench pods_view`.

use divan::Bencher;
use kubesight::app::{Action, App, SourceInfo};
use kubesight::cache::{Kind, KindSet, new_cache};
use kubesight::clock::Clock;
use kubesight::config::keymap::{KeyAction, Keymap};
use kubesight::config::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn app_with(pods: usize) -> App {
    let now = "2026-11-23T12:00:00Z".parse().expect("valid instant");
    let (cache, mut writers) = new_cache();
    cache.replace_all(
        &mut writers,
        kubesight::synthetic::cluster(pods, pods / 40, 42, now),
    );
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

#[divan::bench(args = [10_000, 100_000])]
fn frame_200x60(bencher: Bencher, pods: usize) {
    let mut app = app_with(pods);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    bencher.bench_local(|| {
        // Move the cursor so every frame differs, as when a user scrolls.
        app.update(Action::Key(KeyAction::Down));
        terminal
            .draw(|frame| kubesight::ui::draw(frame, &app))
            .map(|_| ())
    });
}

#[divan::bench(args = [100_000])]
fn filter_label_selector(bencher: Bencher, pods: usize) {
    let mut app = app_with(pods);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        app.apply_filter_text(if flip {
            "app=web,tier!=frontend"
        } else {
            "app in (api,cart)"
        })
    });
}

#[divan::bench(args = [100_000])]
fn filter_name_text(bencher: Bencher, pods: usize) {
    let mut app = app_with(pods);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        app.apply_filter_text(if flip { "web-" } else { "orders-3" })
    });
}

/// What one coalesced "pods changed" notification costs: rows rebuilt from the
/// store, sorted and filtered. Happens per change batch, never per frame.
#[divan::bench(args = [10_000, 100_000], sample_count = 20)]
fn rebuild_rows_after_change(bencher: Bencher, pods: usize) {
    let mut app = app_with(pods);
    let mut changed = KindSet::default();
    changed.insert(Kind::Pod);
    bencher.bench_local(|| app.update(Action::CacheChanged(changed)));
}
