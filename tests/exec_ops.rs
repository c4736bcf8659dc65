//! `ops::exec::exec_session` against the simulator over HTTP: an interactive
//! shell on a TTY whose output, input, terminal size (initial and resized) and
//! exit code make the round trip; a missing first shell falls back to the next;
//! `--readonly` refuses before any request.

#[path = "sim_pod_io_support.rs"]
mod pod_io;

use std::time::Duration;

use futures::channel::mpsc;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use kubesight::ops::exec::{ExecError, ExecOutcome, ExitStatus, exec_session};
use kubesight::ops::{READONLY_REFUSAL, WriteGate};

use pod_io::serve_pods;
use pod_io::support::{client_for, within};

/// The local terminal as the test drives it: what it types, what it sees.
struct Screen {
    keys: DuplexStream,
    output: DuplexStream,
    text: String,
}

impl Screen {
    /// Reads until the screen ends with `suffix`.
    async fn until(&mut self, suffix: &str) {
        let mut buffer = [0u8; 1024];
        while !self.text.ends_with(suffix) {
            let n = within("output", self.output.read(&mut buffer))
                .await
                .expect("read");
            assert!(n > 0, "the session ended early: {:?}", self.text);
            self.text.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }

    async fn type_line(&mut self, line: &str) {
        within(
            "typing",
            self.keys.write_all(format!("{line}\r").as_bytes()),
        )
        .await
        .expect("typing");
    }
}

type Session = tokio::task::JoinHandle<Result<ExecOutcome, ExecError>>;

fn start(
    client: kube::Client,
    shells: &[&str],
) -> (Screen, mpsc::UnboundedSender<(u16, u16)>, Session) {
    let (keys, stdin) = tokio::io::duplex(4096);
    let (stdout, output) = tokio::io::duplex(65536);
    let (sizes, size_stream) = mpsc::unbounded();
    let shells: Vec<String> = shells.iter().map(|s| s.to_string()).collect();
    let session = tokio::spawn(async move {
        exec_session(
            client,
            &WriteGate::new(false),
            "shop",
            "web-1",
            "web",
            &shells,
            stdin,
            stdout,
            size_stream,
        )
        .await
    });
    (
        Screen {
            keys,
            output,
            text: String::new(),
        },
        sizes,
        session,
    )
}

#[tokio::test]
async fn a_shell_round_trip_with_a_resize_and_an_exit_code() {
    let running = serve_pods();
    let (mut screen, sizes, session) = start(running.client.clone(), &["/bin/bash", "/bin/sh"]);
    // The current size first, as the terminal side sends it.
    sizes.unbounded_send((100, 30)).expect("a size");
    screen.until("$ ").await;
    screen.type_line("echo hi").await;
    screen.until("echo hi\r\nhi\r\n$ ").await;
    screen.type_line("stty size").await;
    screen.until("stty size\r\n30 100\r\n$ ").await;

    // A resize travels on its own channel, so it may overtake or trail the
    // next keystrokes; ask until the shell sees it (bounded).
    sizes.unbounded_send((132, 43)).expect("a resize");
    let mut seen = false;
    for _ in 0..20 {
        screen.text.clear();
        screen.type_line("stty size").await;
        screen.until("$ ").await;
        if screen.text == "stty size\r\n43 132\r\n$ " {
            seen = true;
            break;
        }
        assert_eq!(screen.text, "stty size\r\n30 100\r\n$ ");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "the resize never reached the shell");

    screen.text.clear();
    screen.type_line("exit 3").await;
    let outcome = within("the session", session)
        .await
        .expect("the task")
        .expect("a session");
    assert_eq!(
        outcome,
        ExecOutcome {
            shell: "/bin/bash".into(),
            skipped: vec![],
            status: ExitStatus::Code(3),
        }
    );
    let mut rest = String::new();
    let _ = within("rest", screen.output.read_to_string(&mut rest)).await;
    assert_eq!(rest, "exit 3\r\n");
}

#[tokio::test]
async fn a_missing_shell_falls_back_to_the_next() {
    let running = serve_pods();
    let (mut screen, sizes, session) = start(running.client.clone(), &["/bin/zsh", "/bin/sh"]);
    drop(sizes);
    screen.until("$ ").await;
    // The failed attempt left nothing on the screen.
    assert_eq!(screen.text, "$ ");
    screen.type_line("hostname").await;
    screen.until("hostname\r\nweb-1\r\n$ ").await;
    // End of input ends the shell, with the last command's status.
    drop(screen.keys);
    let outcome = within("the session", session)
        .await
        .expect("the task")
        .expect("a session");
    assert_eq!(
        outcome,
        ExecOutcome {
            shell: "/bin/sh".into(),
            skipped: vec!["/bin/zsh".into()],
            status: ExitStatus::Code(0),
        }
    );
}

#[tokio::test]
async fn no_shell_at_all_is_an_error_naming_them() {
    let running = serve_pods();
    let (_screen, _sizes, session) = start(running.client.clone(), &["/bin/zsh", "/bin/fish"]);
    let error = within("the session", session)
        .await
        .expect("the task")
        .expect_err("no shell");
    assert_eq!(
        error.to_string(),
        r#"no shell found in container "web": tried /bin/zsh, /bin/fish"#
    );
}

#[tokio::test]
async fn readonly_refuses_before_any_request() {
    // Nothing listens here: any request would fail with a connection error.
    let client = client_for("http://127.0.0.1:9", false);
    let (_keys, stdin) = tokio::io::duplex(64);
    let (stdout, _output) = tokio::io::duplex(64);
    let result = exec_session(
        client,
        &WriteGate::new(true),
        "shop",
        "web-1",
        "web",
        &["/bin/sh".to_string()],
        stdin,
        stdout,
        futures::stream::empty(),
    )
    .await;
    match result {
        Err(error @ ExecError::Refused(_)) => assert_eq!(error.to_string(), READONLY_REFUSAL),
        other => panic!("expected the readonly refusal, got {other:?}"),
    }
}
