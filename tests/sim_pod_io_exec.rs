//! `pods/exec` through kube-rs (`Api::exec`) over the simulator's WebSocket:
//! a command's output and Success, a failing command's exit code in the
//! closing Status, an unknown command on stderr, an interactive shell on a
//! terminal whose `stty size` follows a resize, and the refusals for a
//! container that does not run.

#[path = "sim_pod_io_support.rs"]
mod pod_io;

use futures::SinkExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams, TerminalSize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use pod_io::serve_pods;
use pod_io::support::within;

async fn read_all(reader: Option<impl tokio::io::AsyncRead + Unpin>) -> String {
    let mut text = String::new();
    if let Some(mut reader) = reader {
        let _ = within("output", reader.read_to_string(&mut text)).await;
    }
    text
}

#[tokio::test]
async fn a_command_prints_and_succeeds() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let params = AttachParams::default().stderr(true);
    let mut process = within(
        "exec",
        pods.exec("web-1", ["echo", "hello", "world"], &params),
    )
    .await
    .expect("an exec session");
    let stdout = read_all(process.stdout()).await;
    assert_eq!(stdout, "hello world\n");
    let status = within("status", process.take_status().expect("a status")).await;
    assert_eq!(status.and_then(|s| s.status).as_deref(), Some("Success"));

    let mut process = within("env", pods.exec("web-1", ["env"], &params))
        .await
        .expect("env");
    let env = read_all(process.stdout()).await;
    assert!(env.contains("HOSTNAME=web-1\n"), "{env}");
    assert!(
        env.contains("GREETING=hi\n") && !env.contains("SECRET="),
        "{env}"
    );
    assert!(env.contains("KUBERNETES_SERVICE_HOST=10.96.0.1\n"), "{env}");
}

#[tokio::test]
async fn failures_carry_the_exit_code() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let params = AttachParams::default().stderr(true);
    let mut process = within(
        "exit",
        pods.exec("web-1", ["sh", "-c", "echo bye; exit 3"], &params),
    )
    .await
    .expect("an exec session");
    assert_eq!(read_all(process.stdout()).await, "bye\n");
    let status = within("status", process.take_status().expect("a status"))
        .await
        .expect("a Status");
    assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
    assert_eq!(
        status.message.as_deref().unwrap_or_default(),
        "command terminated with non-zero exit code: error executing command [sh -c echo bye; exit 3], exit code 3"
    );
    let causes = status.details.and_then(|d| d.causes).unwrap_or_default();
    assert_eq!(
        causes
            .iter()
            .map(|c| (c.reason.as_deref(), c.message.as_deref()))
            .collect::<Vec<_>>(),
        vec![(Some("ExitCode"), Some("3"))]
    );

    let mut process = within("unknown", pods.exec("web-1", ["frobnicate"], &params))
        .await
        .expect("an exec session");
    let stderr = read_all(process.stderr()).await;
    assert_eq!(stderr, "sh: frobnicate: not found\n");
    let status = within("status", process.take_status().expect("a status")).await;
    assert_eq!(
        status.and_then(|s| s.message).unwrap_or_default(),
        "command terminated with non-zero exit code: error executing command [frobnicate], exit code 127"
    );
}

#[tokio::test]
async fn an_interactive_shell_follows_the_terminal_size() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let params = AttachParams::interactive_tty();
    let mut process = within("sh", pods.exec("web-1", ["sh"], &params))
        .await
        .expect("an interactive session");
    let mut resize = process.terminal_size().expect("a resize channel");
    within(
        "resize",
        resize.send(TerminalSize {
            width: 100,
            height: 30,
        }),
    )
    .await
    .expect("a resize");
    let mut stdin = process.stdin().expect("stdin");
    let mut stdout = process.stdout().expect("stdout");
    // The resize and the input travel in order on one connection only once
    // both are sent; wait for the prompt first so the resize is surely in.
    let mut screen = String::new();
    let mut buffer = [0u8; 1024];
    while !screen.contains("$ ") {
        let n = within("prompt", stdout.read(&mut buffer))
            .await
            .expect("read");
        screen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    within(
        "type",
        stdin.write_all(b"stty size\rcat /etc/hostname\rexit 0\r"),
    )
    .await
    .expect("typing");
    let mut rest = String::new();
    let _ = within("the session", stdout.read_to_string(&mut rest)).await;
    screen.push_str(&rest);
    assert!(screen.contains("stty size\r\n30 100\r\n$ "), "{screen:?}");
    assert!(
        screen.contains("cat /etc/hostname\r\nweb-1\r\n$ "),
        "{screen:?}"
    );
    let status = within("status", process.take_status().expect("a status")).await;
    assert_eq!(status.and_then(|s| s.status).as_deref(), Some("Success"));
}

#[tokio::test]
async fn a_container_that_does_not_run_cannot_exec() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let params = AttachParams::default();
    let waiting = within("creating", pods.exec("creating", ["echo"], &params)).await;
    let error = waiting.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(error.contains("500"), "{error}");
    let ambiguous = within("multi", pods.exec("multi", ["echo"], &params)).await;
    assert_eq!(
        pod_io::api_error(ambiguous),
        (
            400,
            "a container name must be specified for pod multi, choose one of: [a b]".to_string()
        )
    );
}

#[tokio::test]
async fn sidecars_and_ephemeral_containers_take_an_exec_and_the_refusal_lists_init_ones() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    for container in ["log-shipper", "debugger"] {
        let params = AttachParams::default()
            .container(container)
            .stdout(true)
            .stderr(false);
        let mut process = within(container, pods.exec("sidecars", ["hostname"], &params))
            .await
            .unwrap_or_else(|e| panic!("exec in {container}: {e}"));
        let output = read_all(process.stdout()).await;
        assert_eq!(output.trim(), "sidecars", "{container}");
    }
    let ambiguous = within(
        "sidecars",
        pods.exec("sidecars", ["echo"], &AttachParams::default()),
    )
    .await;
    assert_eq!(
        pod_io::api_error(ambiguous),
        (
            400,
            "a container name must be specified for pod sidecars, choose one of: [api metrics] \
             or one of the init containers: [log-shipper]"
                .to_string()
        )
    );
}
