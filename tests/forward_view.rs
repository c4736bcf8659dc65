//! `F` and `:pf`: a port-forward started with the keys carries a real TCP
//! connection to the simulated pod, and the forward list shows and stops it.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::{LiveApp, footer, snapshot_settings};
use kubesight::app::Action;
use kubesight::app::tasks::TaskResult;
use kubesight::config::keymap::KeyAction;

const POD: &str = "web-45dmd5frnr-m9ghv";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Sends one request and reads until the responder has named its pod; the
/// connection stays open (returned) so the forward's counters are settled.
fn http_get(port: u16) -> (String, std::net::TcpStream) {
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("the forward accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("the request goes through");
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&answer).contains(POD) {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&answer).to_string(), stream)
}

#[test]
fn a_forward_started_with_the_keys_reaches_the_pod_and_is_listed_and_stopped() {
    let mut live = LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text(POD);
    live.update(Action::PromptSubmit);
    live.press(KeyAction::PortForward);
    let local = free_port();
    // The container's port by its name, as kubectl port-forward takes it.
    live.type_text(&format!("http {local}"));
    live.update(Action::PromptSubmit);
    match live.finish_task() {
        TaskResult::Flash { text, is_error } => {
            assert!(!is_error, "{text}");
            assert_eq!(
                text,
                format!("forwarding 127.0.0.1:{local} → pod/shop/{POD}:http (:pf lists forwards)")
            );
        }
        other => panic!("expected the forward's message, got {other:?}"),
    }
    let (answer, _connection) = http_get(local);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(POD),
        "the responder names the pod: {answer}"
    );

    live.app
        .run_command(kubesight::app::command::Command::PortForward(None));
    let text = live.screen(140, 12);
    // The local port is whatever was free: the snapshot names it LOCAL.
    let text = text.replace(&format!("127.0.0.1:{local}"), "127.0.0.1:LOCAL");
    snapshot_settings().bind(|| insta::assert_snapshot!("forwards_one_pod_140x12", text));

    // :pf starts on the first forward: X stops it, and the port no longer accepts.
    live.press(KeyAction::Cancel);
    assert_eq!(
        footer(&live.screen(140, 12)),
        format!("stopped the forward from 127.0.0.1:{local}")
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(std::net::TcpStream::connect(("127.0.0.1", local)).is_err());
}

#[test]
fn a_local_port_in_use_is_refused_with_a_clear_message() {
    let mut live = LiveApp::new(&[]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to occupy");
    let port = taken.local_addr().expect("its address").port();
    live.press(KeyAction::Filter);
    live.type_text(POD);
    live.update(Action::PromptSubmit);
    live.press(KeyAction::PortForward);
    live.type_text(&format!("8080 {port}"));
    live.update(Action::PromptSubmit);
    match live.finish_task() {
        TaskResult::Flash { text, is_error } => {
            assert!(is_error);
            assert_eq!(
                text,
                format!("port-forward to pod/shop/{POD}: local port {port} is in use")
            );
        }
        other => panic!("expected the refusal, got {other:?}"),
    }
}

#[test]
fn readonly_refuses_a_forward_before_asking_for_ports() {
    let mut live = LiveApp::new(&["--readonly"]);
    live.press(KeyAction::Filter);
    live.type_text(POD);
    live.update(Action::PromptSubmit);
    live.press(KeyAction::PortForward);
    assert_eq!(live.app.mode, kubesight::app::Mode::Normal);
    assert_eq!(
        footer(&live.screen(140, 12)),
        "refused: kubesight is running with --readonly"
    );
    live.press(KeyAction::Shell);
    assert!(live.app.pending_exec.is_none(), "no shell is opened either");
}
