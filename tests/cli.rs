//! The `kubesight` binary as a user runs it: `render` prints exactly the reviewed
//! snapshots, and bad input fails with a clear message and a documented exit code.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{NOW, snapshot_settings};

/// Runs the binary with an empty config dir, so a developer's own keymap or theme
/// cannot change what the tests see.
fn kubesight(args: &[&str], config_home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubesight"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env("XDG_STATE_HOME", config_home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 errors")
}

fn render_matches_snapshot(name: &str, args: &[&str]) {
    let config = tempfile::tempdir().unwrap();
    let mut full = vec!["render"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--demo", "--now", NOW]);
    let output = kubesight(&full, config.path());
    assert!(
        output.status.success(),
        "render failed: {}",
        stderr(&output)
    );
    // The same snapshot files as the library tests: byte for byte the same screen.
    snapshot_settings().bind(|| insta::assert_snapshot!(name, stdout(&output)));
}

#[test]
fn render_pods_prints_the_reviewed_screens() {
    render_matches_snapshot("pods_120x30", &["pods"]);
    render_matches_snapshot("pods_80x24", &["pods", "--width", "80", "--height", "24"]);
    render_matches_snapshot("pods_ns_shop_120x30", &["pods", "-n", "shop"]);
    render_matches_snapshot(
        "pods_filter_selector_120x30",
        &["pods", "--filter", "tier in (frontend,backend),app!=api"],
    );
    render_matches_snapshot("pods_node_worker-2_120x30", &["pods", "--node", "worker-2"]);
}

/// One table per printer family, as the simulator serves them (the same
/// printers kubectl's server-side Tables come from).
#[test]
fn render_kinds_prints_kubectls_columns() {
    let whole = ["--height", "0", "--width", "160"];
    for (name, kind) in [
        ("kind_deployments_wide", "deploy"),
        ("kind_services", "svc"),
        ("kind_persistentvolumeclaims", "pvc"),
        ("kind_horizontalpodautoscalers", "hpa"),
        ("kind_cronjobs", "cronjobs"),
        ("kind_clusterrolebindings", "clusterrolebindings"),
        ("kind_endpoints", "ep"),
        ("kind_ingresses", "ing"),
        ("kind_leases", "leases"),
    ] {
        let mut args = vec![kind];
        args.extend_from_slice(&whole);
        if name.ends_with("_wide") {
            args.extend_from_slice(&["-o", "wide"]);
        }
        render_matches_snapshot(name, &args);
    }
}

/// A custom resource's table from a snapshot file: its CRD's
/// additionalPrinterColumns, printed offline by the same code.
#[test]
fn render_prints_custom_resources_from_their_crds_columns() {
    let config = tempfile::tempdir().unwrap();
    // Relative, as the tests run in the package's directory: the header names it.
    let demo = "demo/cluster.yaml".to_string();
    let output = kubesight(
        &[
            "render",
            "widgets",
            "--snapshot",
            &demo,
            "--now",
            NOW,
            "--height",
            "0",
        ],
        config.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("kind_widgets_from_files", stdout(&output)));
    let unknown = kubesight(
        &["render", "gizmos", "--snapshot", &demo, "--now", NOW],
        config.path(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).starts_with("kubesight: unknown command or resource \"gizmos\""),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn render_describe_finds_any_object_or_says_why_not() {
    let config = tempfile::tempdir().unwrap();
    let output = kubesight(
        &[
            "render",
            "describe",
            "widget/gizmo",
            "--snapshot",
            "demo/cluster.yaml",
            "--now",
            NOW,
            "--height",
            "0",
        ],
        config.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    snapshot_settings().bind(|| insta::assert_snapshot!("describe_widget_gizmo", stdout(&output)));

    let several = kubesight(
        &[
            "render",
            "describe",
            "cm/kube-root-ca.crt",
            "--demo",
            "--now",
            NOW,
        ],
        config.path(),
    );
    assert_eq!(several.status.code(), Some(1));
    assert!(
        stderr(&several).contains("is in several namespaces")
            && stderr(&several).contains("choose one with :ns or -n"),
        "{}",
        stderr(&several)
    );
    let in_shop = kubesight(
        &[
            "render",
            "describe",
            "cm/kube-root-ca.crt",
            "-n",
            "shop",
            "--demo",
            "--now",
            NOW,
        ],
        config.path(),
    );
    assert!(in_shop.status.success(), "{}", stderr(&in_shop));
    assert!(stdout(&in_shop).contains("describe ConfigMap shop/kube-root-ca.crt"));
}

#[test]
fn render_nodes_prints_the_reviewed_screens() {
    render_matches_snapshot("nodes_120x30", &["nodes"]);
    render_matches_snapshot("nodes_80x24", &["nodes", "--width", "80", "--height", "24"]);
}

#[test]
fn render_reads_a_snapshot_directory() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cluster.yaml"), kubesight::demo::DEMO_YAML).unwrap();
    let path = dir.path().to_str().unwrap();
    let output = kubesight(
        &["render", "nodes", "--snapshot", path, "--now", NOW],
        config.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains(&format!("source: snapshot {path}")), "{text}");
    assert!(
        text.contains("worker-2  Ready,SchedulingDisabled"),
        "{text}"
    );
}

#[test]
fn malformed_snapshot_names_file_line_and_column() {
    let config = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   namespace: b\n",
    )
    .unwrap();
    let output = kubesight(
        &["render", "pods", "--snapshot", file.to_str().unwrap()],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with(&format!("kubesight: {}:5:", file.display())),
        "{err}"
    );
    assert!(
        stdout(&output).is_empty(),
        "nothing is drawn from a broken snapshot"
    );
}

#[test]
fn malformed_filter_is_refused_with_the_selector_error() {
    let config = tempfile::tempdir().unwrap();
    let output = kubesight(
        &["render", "pods", "--demo", "--filter", "app===x"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "kubesight: --filter \"app===x\": unable to parse requirement: found '=', expected: identifier"
    );
}

#[test]
fn invalid_user_keymap_names_the_file_and_the_key() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("kubesight")).unwrap();
    let keymap = config.path().join("kubesight/keymap.yaml");
    std::fs::write(&keymap, "quit: [q]\nsort_next: [hyper-x]\n").unwrap();
    let output = kubesight(&["render", "pods", "--demo"], config.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "{}: sort_next: \"hyper-x\" is not a key",
            keymap.display()
        )),
        "{err}"
    );
}

#[test]
fn invalid_user_theme_names_the_file_and_the_key() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("kubesight")).unwrap();
    let theme = config.path().join("kubesight/theme.yaml");
    std::fs::write(&theme, "colors:\n  good: greenish\n").unwrap();
    let output = kubesight(
        &["render", "pods", "--demo", "--theme", "light"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("{}: colors.good:", theme.display())),
        "{}",
        stderr(&output)
    );
    let output = kubesight(
        &["render", "pods", "--demo", "--theme", "neon"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no theme named \"neon\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let config = tempfile::tempdir().unwrap();
    let output = kubesight(
        &["render", "pods", "--demo", "--now", "yesterday"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--now \"yesterday\" is not an RFC 3339 instant"));
    let output = kubesight(
        &["render", "nodes", "--demo", "--node", "cp-1"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn subcommands_offer_only_the_flags_that_mean_something_to_them() {
    let config = tempfile::tempdir().unwrap();
    let help = |command: &str| stdout(&kubesight(&[command, "--help"], config.path()));
    let sim = help("sim");
    for useless in [
        "--theme",
        "--readonly",
        "--context",
        "--namespace",
        "--snapshot",
    ] {
        assert!(!sim.contains(useless), "sim --help lists {useless}:\n{sim}");
    }
    let drain = help("drain");
    for useless in ["--theme", "--namespace", "--all-namespaces"] {
        assert!(
            !drain.contains(useless),
            "drain --help lists {useless}:\n{drain}"
        );
    }
    for useful in [
        "--context",
        "--readonly",
        "--request-timeout",
        "--ignore-daemonsets",
    ] {
        assert!(
            drain.contains(useful),
            "drain --help lacks {useful}:\n{drain}"
        );
    }
    // render draws what the TUI would: it takes the TUI's flags.
    let render = help("render");
    for useful in ["--theme", "--readonly", "--namespace", "--snapshot"] {
        assert!(
            render.contains(useful),
            "render --help lacks {useful}:\n{render}"
        );
    }

    // Given before the subcommand, a flag that does nothing there is refused.
    let output = kubesight(&["--theme", "light", "sim"], config.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "kubesight: --theme means nothing to `kubesight sim` (see kubesight sim --help)\n"
    );
    // Source flags still go before or after the subcommand's name.
    let before = kubesight(
        &["--demo", "--now", NOW, "render", "nodes", "--height", "8"],
        config.path(),
    );
    let after = kubesight(
        &["render", "nodes", "--height", "8", "--demo", "--now", NOW],
        config.path(),
    );
    assert!(before.status.success(), "{}", stderr(&before));
    assert_eq!(stdout(&before), stdout(&after));
}

#[test]
fn live_connection_problems_are_one_clear_line() {
    let config = tempfile::tempdir().unwrap();
    // No source flags means the kubeconfig's cluster; without a kubeconfig at all:
    let no_home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kubesight"))
        .args(["render", "pods"])
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", no_home.path())
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("kubesight: cannot read kubeconfig:") && err.contains("try --demo"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // A kubeconfig whose only cluster is a closed loopback port.
    let kubeconfig = config.path().join("dead.kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\n\
         contexts:\n- name: dead\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user: {}\n\
         current-context: dead\n",
    )
    .unwrap();
    let path = kubeconfig.to_str().unwrap();
    let output = kubesight(
        &["render", "pods", "--kubeconfig", path, "--context", "other"],
        config.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "kubesight: no context \"other\" in the kubeconfig (contexts: dead)"
    );

    let output = kubesight(&["render", "pods", "--kubeconfig", path], config.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.starts_with("kubesight: cannot read ") && err.contains("from http://127.0.0.1:1/"),
        "{err}"
    );
    assert!(err.contains("Connection refused"), "{err}");
    assert!(
        stdout(&output).is_empty(),
        "nothing is drawn from an unreachable cluster"
    );

    std::fs::write(&kubeconfig, "clusters: [unclosed\n").unwrap();
    let output = kubesight(&["render", "pods", "--kubeconfig", path], config.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
}

/// A server that accepts connections and never answers, as a black-holed or
/// stopped API server does. Its connections stay open until the test ends.
fn black_hole() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < until {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    (url, handle)
}

/// `render pods` with `--request-timeout 2s`, and how long it took.
fn render_pods_within_2s(kubeconfig: &Path, home: &Path) -> (Output, std::time::Duration) {
    let started = std::time::Instant::now();
    let output = kubesight(
        &[
            "--kubeconfig",
            kubeconfig.to_str().expect("utf-8"),
            "--request-timeout",
            "2s",
            "render",
            "pods",
        ],
        home,
    );
    (output, started.elapsed())
}

#[test]
fn render_against_a_server_that_never_answers_fails_within_the_request_timeout() {
    let (url, _server) = black_hole();
    let home = tempfile::tempdir().expect("a temp dir");
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kubesight::sim::kubeconfig_yaml(&url, "hole")).expect("written");
    let (output, took) = render_pods_within_2s(&kubeconfig, home.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(took < std::time::Duration::from_secs(15), "took {took:?}");
    let err = stderr(&output);
    assert!(
        err.starts_with(&format!(
            "kubesight: {url}/ did not fill the cache within 2s (--request-timeout); still waiting for: Pod (syncing, 0 so far), Node (syncing, 0 so far)"
        )),
        "{err}"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_bad_request_timeout_is_refused_as_input() {
    let home = tempfile::tempdir().expect("a temp dir");
    let output = kubesight(
        &["--demo", "--request-timeout", "soon", "render", "pods"],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "kubesight: invalid argument \"soon\" for \"--request-timeout\" flag: invalid duration \"soon\"\n"
    );
}

#[test]
fn a_credential_plugin_that_hangs_is_given_up_on_with_a_message() {
    let home = tempfile::tempdir().expect("a temp dir");
    let kubeconfig = common::kubeconfig_with_plugin(home.path(), "sleep 600");
    let (output, took) = render_pods_within_2s(&kubeconfig, home.path());
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let plugin = home.path().join("plugin.sh");
    assert_eq!(
        stderr(&output),
        format!(
            "kubesight: the credential plugin {} did not answer within 2s (--request-timeout)\n",
            plugin.display()
        )
    );
}

#[test]
fn a_failing_credential_plugin_is_shown_with_its_stderr() {
    let home = tempfile::tempdir().expect("a temp dir");
    let kubeconfig = common::kubeconfig_with_plugin(
        home.path(),
        "echo 'error: token expired, run: corp-login' >&2; exit 3",
    );
    let output = kubesight(
        &[
            "--kubeconfig",
            kubeconfig.to_str().expect("utf-8"),
            "render",
            "pods",
        ],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err,
        "kubesight: the credential plugin failed: error: token expired, run: corp-login \
         (exit status: 3)\n"
    );
}

#[test]
fn the_header_says_readonly_when_nothing_will_be_written() {
    let home = tempfile::tempdir().expect("a temp dir");
    let snapshot = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/cluster.yaml");
    let header = |extra: &[&str]| {
        let mut args = vec!["--snapshot", snapshot, "--now", NOW];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["render", "pods"]);
        let output = kubesight(&args, home.path());
        stdout(&output).lines().next().unwrap_or("").to_string()
    };
    let readonly = header(&["--readonly"]);
    assert!(
        readonly.starts_with(" kubesight   context: snapshot  namespace: all  READONLY  source: "),
        "{readonly}"
    );
    assert!(!header(&[]).contains("READONLY"));
}

#[test]
fn render_with_height_0_prints_every_row_and_no_padding() {
    let home = tempfile::tempdir().expect("a temp dir");
    let snapshot = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/cluster.yaml");
    let render = |view: &str, height: &str| {
        kubesight(
            &[
                "--snapshot",
                snapshot,
                "--now",
                NOW,
                "render",
                view,
                "--height",
                height,
            ],
            home.path(),
        )
    };
    let whole = stdout(&render("pods", "0"));
    let lines: Vec<&str> = whole.lines().collect();
    // Header, title border, column header, every pod, bottom border, footer.
    let rows = lines.len() - 5;
    assert_eq!(rows, 43);
    assert!(lines[1].contains(&format!("[{rows}]")), "{}", lines[1]);
    assert!(lines[lines.len() - 2].starts_with('└'), "{whole}");
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with('│') && l.trim_matches('│').trim().is_empty()),
        "no padding rows: {whole}"
    );
    // A document too: every event, where the default height cuts it short.
    let events = stdout(&render("events", "0"));
    assert!(events.lines().count() > stdout(&render("events", "30")).lines().count());
    assert!(
        events
            .lines()
            .nth_back(1)
            .is_some_and(|l| l.starts_with('└'))
    );
    let refused = render("pods", "3");
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused),
        "kubesight: --width must be at least 20 and --height at least 6 (or 0: the whole content)\n"
    );
}
