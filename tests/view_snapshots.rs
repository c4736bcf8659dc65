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

#[test]
fn help_overlay_on_a_small_screen_wraps_and_scrolls_to_its_end() {
    use kubesight::app::Action;
    use kubesight::config::keymap::KeyAction;
    check("help_end_60x20", &[], 60, 20, |app| {
        app.update(Action::Resize(60, 20));
        app.update(Action::Key(KeyAction::Help));
        app.update(Action::Key(KeyAction::Bottom));
    });
}

/// An inspection view of the demo, as `kubesight render VIEW KIND/NAME` draws it.
fn check_doc(name: &str, kind: kubesight::app::docs::DocKind, width: u16, height: u16) {
    check(name, &[], width, height, |app| app.push_doc(kind));
}

fn object(
    kind: kubesight::cache::Kind,
    namespace: &str,
    name: &str,
) -> kubesight::model::doc::ObjectRef {
    kubesight::model::doc::ObjectRef::new(kind, namespace, name)
}

use kubesight::app::docs::DocKind;
use kubesight::cache::Kind;

#[test]
fn tree_of_a_deployment() {
    check_doc(
        "tree_deploy_web_120x24",
        DocKind::Tree {
            target: object(Kind::Deployment, "shop", "web"),
            collapsed: Default::default(),
        },
        120,
        24,
    );
}

#[test]
fn forest_of_a_namespace() {
    check("forest_batch_120x30", &["-n", "batch"], 120, 30, |app| {
        app.push_doc(DocKind::Forest {
            collapsed: Default::default(),
        })
    });
}

/// The demo's pod as the API server holds it, whole (what the detail reads
/// once for environments, mounts and affinity).
fn full_demo_pod(app: &kubesight::app::App, name: &str) -> serde_json::Value {
    let objects = kubesight::model::demo::rebased(app.clock.now()).expect("the demo loads");
    let pod = objects
        .pods
        .into_iter()
        .find(|p| p.metadata.name.as_deref() == Some(name))
        .expect("a demo pod");
    serde_json::to_value(pod).expect("a pod as JSON")
}

#[test]
fn pod_detail_of_a_crash_looping_pod() {
    check("pod_payments_crashloop_130x80", &[], 130, 80, |app| {
        let name = "payments-v5z6r2wb7c-npxvp";
        let fetched = Some(full_demo_pod(app, name));
        app.push_doc(DocKind::PodDetail {
            target: object(Kind::Pod, "shop", name),
            fetched,
        })
    });
}

#[test]
fn pod_detail_with_a_sidecar_secret_references_and_mounts() {
    check("pod_api_sidecar_140x76", &[], 140, 76, |app| {
        let name = "api-xc8k88h8p5-gr5qs";
        let fetched = Some(full_demo_pod(app, name));
        app.push_doc(DocKind::PodDetail {
            target: object(Kind::Pod, "shop", name),
            fetched,
        })
    });
}

#[test]
fn qos_of_a_burstable_pod() {
    check_doc(
        "qos_web_pod_120x20",
        DocKind::Qos {
            target: object(Kind::Pod, "shop", "web-45dmd5frnr-m9ghv"),
        },
        120,
        20,
    );
}

#[test]
fn qos_by_node_in_eviction_order() {
    check_doc("qos_by_node_120x60", DocKind::QosByNode, 120, 60);
}

#[test]
fn probes_with_failures() {
    check_doc(
        "probes_payments_130x40",
        DocKind::Probes {
            target: object(Kind::Pod, "shop", "payments-v5z6r2wb7c-npxvp"),
        },
        130,
        40,
    );
}

#[test]
fn rollout_with_a_diff_between_revisions() {
    check_doc(
        "rollout_web_diff_1_3_120x50",
        DocKind::Rollout {
            target: object(Kind::Deployment, "shop", "web"),
            marked: None,
            diff: Some((1, 3)),
        },
        120,
        50,
    );
}

#[test]
fn rollout_of_a_statefulset() {
    check_doc(
        "rollout_sts_postgres_120x30",
        DocKind::Rollout {
            target: object(Kind::StatefulSet, "data", "postgres"),
            marked: None,
            diff: None,
        },
        120,
        30,
    );
}

#[test]
fn events_of_a_pod() {
    check_doc(
        "events_payments_pod_140x16",
        DocKind::Events {
            target: Some(object(Kind::Pod, "shop", "payments-v5z6r2wb7c-npxvp")),
        },
        140,
        16,
    );
}
