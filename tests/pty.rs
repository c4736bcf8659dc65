//! kubesight in a real pseudo-terminal, read back through a terminal emulator: the
//! pods screen appears, `:q` quits, and the terminal is left as it was found.

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 120;

fn nonzero(n: u16) -> std::num::NonZero<u16> {
    std::num::NonZero::new(n).expect("a terminal has rows and columns")
}

/// Everything the program wrote, and the screen it amounts to.
#[derive(Clone)]
struct Terminal {
    screen: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Terminal {
    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let contents = self.contents();
            if contents.contains(what) {
                return contents;
            }
            assert!(
                Instant::now() < deadline,
                "{what:?} never appeared; the screen:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// kubesight in a fresh pseudo-terminal: the emulated screen, the keyboard and
/// the process.
fn start(
    args: &[&str],
) -> (
    Terminal,
    Box<dyn Write + Send>,
    Box<dyn portable_pty::Child + Send + Sync>,
    tempfile::TempDir,
) {
    let home = tempfile::tempdir().unwrap();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_kubesight"));
    command.args(args);
    command.env("XDG_CONFIG_HOME", home.path());
    command.env("XDG_STATE_HOME", home.path());
    command.env("TERM", "xterm-256color");
    let child = pty.slave.spawn_command(command).expect("kubesight starts");
    drop(pty.slave);

    let terminal = Terminal {
        screen: Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(ROWS),
            nonzero(COLS),
            0,
        ))),
        bytes: Arc::new(Mutex::new(Vec::new())),
    };
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let sink = terminal.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.screen.lock().unwrap().process(&buf[..n]);
            sink.bytes.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let keys = pty.master.take_writer().expect("pty writer");
    // The master must outlive the test's use of the terminal.
    std::mem::forget(pty.master);
    (terminal, keys, child, home)
}

#[test]
fn demo_in_a_real_terminal_shows_the_pods_screen_and_quits_cleanly() {
    let (terminal, mut keys, mut child, _home) = start(&["--demo", "--now", common::NOW]);

    let screen = terminal.wait_for("pods(all)[43]", Duration::from_secs(20));
    assert!(screen.contains("context: demo"), "{screen}");
    assert!(
        screen.contains("OOMKilled") && screen.contains("3 (3m11s ago)"),
        "{screen}"
    );
    assert!(
        terminal.screen.lock().unwrap().screen().alternate_screen(),
        "the TUI draws on the alternate screen"
    );

    // Keys go through the real keymap: `:` opens the command line, `q` enter quits.
    keys.write_all(b":").unwrap();
    terminal.wait_for(" :", Duration::from_secs(5));
    keys.write_all(b"q\r").unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!(
                "kubesight did not exit after :q; the screen:\n{}",
                terminal.contents()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    // Give the reader a moment to drain the last bytes.
    std::thread::sleep(Duration::from_millis(200));
    let bytes = terminal.bytes.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&bytes);
    let entered = text
        .find("\u{1b}[?1049h")
        .expect("entered the alternate screen");
    let left = text
        .rfind("\u{1b}[?1049l")
        .expect("left the alternate screen");
    assert!(left > entered);
    assert!(
        !terminal.screen.lock().unwrap().screen().alternate_screen(),
        "back on the normal screen"
    );
}

#[test]
fn a_shell_in_a_pod_takes_the_terminal_and_gives_it_back_with_the_exit_code() {
    // The live demo (no --now): its kubelet answers exec with a small shell.
    let (terminal, mut keys, mut child, _home) = start(&["--demo"]);
    terminal.wait_for("pods(all)", Duration::from_secs(20));
    keys.write_all(b"/web-45dmd5frnr-m9ghv\r").unwrap();
    terminal.wait_for("[1/", Duration::from_secs(5));
    keys.write_all(b"s").unwrap();
    terminal.wait_for("exit returns to kubesight", Duration::from_secs(10));
    assert!(
        !terminal.screen.lock().unwrap().screen().alternate_screen(),
        "the shell runs on the normal screen"
    );
    keys.write_all(b"echo hello-from-$HOSTNAME\r").unwrap();
    terminal.wait_for("hello-from-web-45dmd5frnr-m9ghv", Duration::from_secs(10));
    let before = terminal.bytes.lock().unwrap().len();
    keys.write_all(b"exit 3\r").unwrap();
    let screen = terminal.wait_for("exited with code 3", Duration::from_secs(10));
    // The whole screen is drawn again, not only the footer that changed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let bytes = terminal.bytes.lock().unwrap().clone();
        let redrawn = String::from_utf8_lossy(&bytes[before..]).to_string();
        if redrawn.contains("pods(all)") && redrawn.contains(" kubesight ") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the table was not drawn again after the shell: {redrawn:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        screen.contains("/bin/bash in pod shop/web-45dmd5frnr-m9ghv exited with code 3")
            || screen.contains("/bin/sh in pod shop/web-45dmd5frnr-m9ghv exited with code 3"),
        "{screen}"
    );
    assert!(
        terminal.screen.lock().unwrap().screen().alternate_screen(),
        "the TUI is back"
    );
    // Keys reach the TUI again: the first one is not swallowed by the shell's reader.
    keys.write_all(b":").unwrap();
    terminal.wait_for(" :", Duration::from_secs(5));
    keys.write_all(b"q\r").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().expect("child status").is_none() {
        assert!(Instant::now() < deadline, "kubesight did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for the child to exit; its exit status.
fn wait_exit(
    child: &mut Box<dyn portable_pty::Child + Send + Sync>,
    terminal: &Terminal,
    what: &str,
) -> portable_pty::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            // Give the reader a moment to drain the last bytes.
            std::thread::sleep(Duration::from_millis(200));
            return status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!(
                "kubesight did not exit after {what}; the screen:\n{}",
                terminal.contents()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn send_signal(child: &(dyn portable_pty::Child + Send + Sync), signal: i32) {
    let pid = child.process_id().expect("a pid") as i32;
    // SAFETY: kill only sends a signal to the child this test started.
    assert_eq!(
        unsafe { libc::kill(pid, signal) },
        0,
        "kill({pid}, {signal})"
    );
}

#[test]
fn termination_signals_restore_the_terminal_and_exit() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        let (terminal, _keys, mut child, _home) = start(&["--demo", "--now", common::NOW]);
        terminal.wait_for("pods(all)[43]", Duration::from_secs(20));
        send_signal(child.as_ref(), signal);
        let status = wait_exit(&mut child, &terminal, name);
        assert_eq!(status.exit_code(), 128 + signal as u32, "{name}");
        let parser = terminal.screen.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "{name}: back on the normal screen"
        );
        assert!(
            !parser.screen().hide_cursor(),
            "{name}: the cursor is shown"
        );
        let bytes = terminal.bytes.lock().unwrap().clone();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.rfind("\u{1b}[?1049l") > text.find("\u{1b}[?1049h"),
            "{name}: left the alternate screen"
        );
    }
}

/// The process's state letter from /proc (`T`: stopped).
fn process_state(child: &(dyn portable_pty::Child + Send + Sync)) -> char {
    let pid = child.process_id().expect("a pid");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // The state follows the command name, which is in parentheses.
    stat.rsplit(") ")
        .next()
        .and_then(|rest| rest.chars().next())
        .expect("a state")
}

#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws_everything() {
    let (terminal, mut keys, mut child, _home) = start(&["--demo", "--now", common::NOW]);
    terminal.wait_for("pods(all)[43]", Duration::from_secs(20));
    keys.write_all(b"\x1a").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while process_state(child.as_ref()) != 'T' {
        assert!(Instant::now() < deadline, "ctrl-z did not stop kubesight");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    {
        let parser = terminal.screen.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "suspended on the normal screen"
        );
        assert!(!parser.screen().hide_cursor(), "with a cursor");
    }
    // What a shell's `fg` sends. The whole screen is drawn again, not only what
    // changed since the last frame (which is nothing).
    let before = terminal.bytes.lock().unwrap().len();
    send_signal(child.as_ref(), libc::SIGCONT);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let bytes = terminal.bytes.lock().unwrap().clone();
        let redrawn = String::from_utf8_lossy(&bytes[before..]).to_string();
        if redrawn.contains("pods(all)[43]") && redrawn.contains(" kubesight ") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no full redraw after fg: {redrawn:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(terminal.screen.lock().unwrap().screen().alternate_screen());
    keys.write_all(b":q\r").unwrap();
    let status = wait_exit(&mut child, &terminal, ":q");
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_screen_is_up_and_q_quits_while_a_credential_plugin_runs() {
    let home = tempfile::tempdir().expect("a temp dir");
    let kubeconfig = common::kubeconfig_with_plugin(home.path(), "sleep 600");
    let (terminal, mut keys, mut child, _home) =
        start(&["--kubeconfig", kubeconfig.to_str().expect("utf-8")]);
    let screen = terminal.wait_for("waiting for the credential plugin", Duration::from_secs(20));
    assert!(screen.contains("syncing"), "{screen}");
    keys.write_all(b"q").unwrap();
    let status = wait_exit(&mut child, &terminal, "q");
    assert!(status.success(), "{status:?}");
    assert!(!terminal.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn a_failing_credential_plugin_is_the_reason_on_screen() {
    let home = tempfile::tempdir().expect("a temp dir");
    let kubeconfig = common::kubeconfig_with_plugin(
        home.path(),
        "echo 'error: token expired, run: corp-login' >&2; exit 3",
    );
    let (terminal, mut keys, mut child, _home) =
        start(&["--kubeconfig", kubeconfig.to_str().expect("utf-8")]);
    let screen = terminal.wait_for("token expired", Duration::from_secs(20));
    assert!(screen.contains("NOT LOADED"), "{screen}");
    assert!(screen.contains("the credential plugin"), "{screen}");
    keys.write_all(b"q").unwrap();
    let status = wait_exit(&mut child, &terminal, "q");
    assert!(status.success(), "{status:?}");
}
