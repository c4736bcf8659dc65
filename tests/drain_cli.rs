//! `kubesight drain` as a user runs it: the plan with kubectl's lines, its JSON,
//! the documented exit codes, and --readonly refusing before any request.

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-23T12:00:00Z";

fn kubesight(args: &[&str], config_home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubesight"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env("XDG_STATE_HOME", config_home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("the binary runs")
}

fn demo_snapshot() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/demo/cluster.yaml").to_string()
}

fn drain(extra: &[&str]) -> Output {
    let config = tempfile::tempdir().expect("a temp dir");
    let snapshot = demo_snapshot();
    let mut args = vec!["--snapshot", snapshot.as_str(), "--now", NOW, "drain"];
    args.extend_from_slice(extra);
    kubesight(&args, config.path())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

#[test]
fn a_plan_kubectl_would_refuse_exits_4_with_kubectls_error_line() {
    let output = drain(&["worker-1", "--dry-run"]);
    assert_eq!(output.status.code(), Some(4));
    let out = text(&output.stdout);
    assert!(
        out.starts_with("Drain plan\nCommand: kubectl drain worker-1 --dry-run=client\n"),
        "{out}"
    );
    assert!(out.contains(
        "error: unable to drain node \"worker-1\" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): data/etl-worker-pd9zp8nlhh-tc4lb, data/postgres-0, shop/api-xc8k88h8p5-xxz5s, shop/cart-klljm5vv4f-qkcsg, shop/web-45dmd5frnr-sdlsm, cannot delete Pods that declare no controller (use --force to override): default/debug-shell, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/node-exporter-jmx9t], continuing command..."
    ), "{out}");
}

#[test]
fn a_plan_a_budget_holds_back_exits_3_and_its_json_says_why() {
    let output = drain(&[
        "worker-1",
        "--dry-run=client",
        "--ignore-daemonsets",
        "--delete-emptydir-data",
        "--force",
        "-o",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(plan["summary"]["outcome"], "blocked");
    assert_eq!(plan["summary"]["blocked"], 1);
    let postgres = plan["pods"]
        .as_array()
        .expect("pods")
        .iter()
        .find(|p| p["name"] == "postgres-0")
        .expect("postgres-0 is planned");
    assert_eq!(postgres["verdict"], "blocked");
}

#[test]
fn a_plan_that_completes_exits_0() {
    // cp-1 holds only DaemonSet, mirror and budget-free pods.
    let output = drain(&["cp-1", "--dry-run", "--ignore-daemonsets", "--force"]);
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains("Outcome: completes"), "{out}");
}

#[test]
fn bad_input_exits_2_before_anything_else() {
    let output = drain(&["--dry-run"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "kubesight: drain needs at least one NODE\n"
    );
    let output = drain(&["worker-1", "--timeout", "5"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "kubesight: invalid argument \"5\" for \"--timeout\" flag: missing unit in duration \"5\"\n"
    );
}

#[test]
fn readonly_refuses_a_drain_with_exit_5_before_sending_anything() {
    let config = tempfile::tempdir().expect("a temp dir");
    let output = kubesight(
        &[
            "--demo",
            "--readonly",
            "drain",
            "worker-4",
            "--ignore-daemonsets",
            "--force",
            "--delete-emptydir-data",
        ],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        text(&output.stderr),
        "refused: kubesight is running with --readonly\n"
    );
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn a_server_dry_run_a_budget_refuses_exits_3() {
    // postgres-0 on worker-1 is held by a budget that allows no disruption: the
    // server's dry-run eviction answers 429, so the drain would be blocked.
    let config = tempfile::tempdir().expect("a temp dir");
    let output = kubesight(
        &[
            "--demo",
            "drain",
            "worker-1",
            "--dry-run=server",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
        ],
        config.path(),
    );
    let out = text(&output.stdout);
    assert!(out.contains("disruption budget"), "{out}");
    assert!(out.contains("1 remaining"), "{out}");
    assert_eq!(output.status.code(), Some(3), "{out}");
}
