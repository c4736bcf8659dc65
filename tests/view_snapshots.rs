//! Every view of the demo cluster as text, at the sizes people use, compared with
//! the reviewed snapshots under `snapshots/`.

mod common;

use common::{demo_app, screen, snapshot_settings};

fn check(
    name: &str,
    flags: &[&str],
    width: u16,
    height: u16,
    prepare: impl FnOnce(&mut kubesight::app::App),
) {
    let mut app = demo_app(flags);
    prepare(&mut app);
    let text = screen(&mut app, width, height);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, text));
}

fn show_nodes(app: &mut kubesight::app::App) {
    app.run_command(kubesight::app::command::Command::Nodes);
}

#[test]
fn pods_120x30() {
    check("pods_120x30", &[], 120, 30, |_| {});
}

#[test]
fn pods_80x24() {
    check("pods_80x24", &[], 80, 24, |_| {});
}

#[test]
fn nodes_120x30() {
    check("nodes_120x30", &[], 120, 30, show_nodes);
}

#[test]
fn nodes_80x24() {
    check("nodes_80x24", &[], 80, 24, show_nodes);
}

#[test]
fn pods_in_one_namespace_hide_the_namespace_column() {
    check("pods_ns_shop_120x30", &["-n", "shop"], 120, 30, |_| {});
}

#[test]
fn pods_filtered_by_a_label_selector() {
    check("pods_filter_selector_120x30", &[], 120, 30, |app| {
        app.apply_filter_text("tier in (frontend,backend),app!=api")
            .expect("valid selector");
    });
}

#[test]
fn pods_on_a_cordoned_node() {
    // As `render pods --node worker-2` draws it; pressing enter on the node is
    // covered by the navigation tests.
    check("pods_node_worker-2_120x30", &[], 120, 30, |app| {
        app.show(kubesight::app::views::Screen::pods(Some("worker-2".into())));
    });
}

#[test]
fn help_overlay() {
    check("help_100x40", &[], 100, 40, |app| {
        app.update(kubesight::app::Action::Key(
            kubesight::config::keymap::KeyAction::Help,
        ));
    });
}
