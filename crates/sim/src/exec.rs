//! `pods/exec` over a WebSocket speaking the Kubernetes channel protocol
//! (`v5.channel.k8s.io`, else `v4.channel.k8s.io`): each binary message starts
//! with its channel — 0 stdin, 1 stdout, 2 stderr, 3 the closing Status, 4
//! terminal resizes — and v5 adds 255, "close this channel" (stdin's EOF).
//! Commands run in the simulated container's [`Shell`].

use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::Simulator;
use super::pod_runtime::{self, Container, State};
use super::query::{self, Query};
use super::resources::Resource;
use super::response::{self, Body};
use super::shell::{Outcome, SHELLS, Shell};
use super::status::Status;
use super::websocket::{self, Incoming, Outgoing};

const V5: &str = "v5.channel.k8s.io";
const V4: &str = "v4.channel.k8s.io";

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const ERROR: u8 = 3;
const RESIZE: u8 = 4;
const CLOSE: u8 = 255;

/// `PodExecOptions`, decoded.
struct Options {
    command: Vec<String>,
    container: Option<String>,
    stdin: bool,
    stdout: bool,
    stderr: bool,
    tty: bool,
}

pub fn respond<B>(
    sim: &Arc<Simulator>,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    query: &Query,
    raw_query: &str,
    request: &mut Request<B>,
) -> Response<Body> {
    let flag = |key| query.get(key).is_some_and(query::parse_bool);
    let options = Options {
        command: pod_runtime::query_values(raw_query, "command"),
        container: query.get("container").map(str::to_string),
        stdin: flag("stdin"),
        stdout: flag("stdout"),
        stderr: flag("stderr"),
        tty: flag("tty"),
    };
    // The API server's validation of PodExecOptions, then the kubelet's.
    if options.command.is_empty() {
        return response::status(&Status::bad_request(
            "you must specify at least one command for the container",
        ));
    }
    if !(options.stdin || options.stdout || options.stderr) {
        return response::status(&Status::bad_request(
            "you must specify at least 1 of stdin, stdout, stderr",
        ));
    }
    let container = match pod_runtime::resolve(
        sim.store(),
        pods,
        namespace,
        name,
        options.container.as_deref(),
        |_, _| "error dialing backend".to_string(),
    ) {
        Ok(container) => container,
        Err(status) => return response::status(&status),
    };
    if !matches!(container.state, State::Running { .. }) {
        // The kubelet finds no running container and says so in plain text.
        return response::text(500, &format!("container not found ({:?})", container.name));
    }
    if !websocket::is_upgrade(request.headers()) {
        return response::status(&Status::bad_request("Upgrade request required"));
    }
    let Some(protocol) = websocket::choose_protocol(request.headers(), &[V5, V4]) else {
        return response::status(&Status::bad_request(
            "unable to negotiate a WebSocket subprotocol: expected v5.channel.k8s.io or v4.channel.k8s.io",
        ));
    };
    websocket::accept(request, protocol, move |stream| {
        session(stream, container, options, protocol == V5)
    })
}

/// One exec, from the upgrade to the closing Status.
async fn session(stream: websocket::Stream, container: Container, options: Options, v5: bool) {
    let (mut reader, outgoing) = websocket::split(stream);
    let out = Output {
        sender: outgoing.clone(),
        options: &options,
    };
    let mut shell = Shell::new(&container.pod, &container.env);
    let interactive = options.stdin
        && options.command.len() == 1
        && SHELLS.contains(&options.command[0].as_str());
    let code = if interactive {
        let mut terminal = Terminal {
            shell: &mut shell,
            out: &out,
            line: Vec::new(),
        };
        match terminal.run(&mut reader, v5).await {
            Some(code) => code,
            // The client went away: nobody to send a Status to.
            None => return,
        }
    } else {
        let outcome = shell.run_argv(&options.command);
        out.write(&outcome).await;
        outcome.code
    };
    let _ = outgoing
        .send(Outgoing::Binary(channel(
            ERROR,
            &status(&options.command, code),
        )))
        .await;
    let _ = outgoing.send(Outgoing::Close).await;
}

/// The Status on the error channel, as the kubelet writes it.
fn status(command: &[String], code: i32) -> Vec<u8> {
    let status: Value = if code == 0 {
        json!({"metadata": {}, "status": "Success"})
    } else {
        json!({
            "metadata": {},
            "status": "Failure",
            "message": format!(
                "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
                command.join(" ")
            ),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]}
        })
    };
    serde_json::to_vec(&status).unwrap_or_default()
}

fn channel(number: u8, payload: &[u8]) -> Bytes {
    let mut message = Vec::with_capacity(payload.len() + 1);
    message.push(number);
    message.extend_from_slice(payload);
    Bytes::from(message)
}

/// Where a command's output goes: the streams the client asked for, stderr
/// joined to stdout on a terminal, newlines as a terminal writes them.
struct Output<'a> {
    sender: mpsc::Sender<Outgoing>,
    options: &'a Options,
}

impl Output<'_> {
    async fn write(&self, outcome: &Outcome) {
        self.stdout(&outcome.stdout).await;
        if self.options.tty {
            self.stdout(&outcome.stderr).await;
        } else if self.options.stderr && !outcome.stderr.is_empty() {
            let _ = self
                .sender
                .send(Outgoing::Binary(channel(STDERR, outcome.stderr.as_bytes())))
                .await;
        }
    }

    async fn stdout(&self, text: &str) {
        if !self.options.stdout || text.is_empty() {
            return;
        }
        let text = if self.options.tty {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        let _ = self
            .sender
            .send(Outgoing::Binary(channel(STDOUT, text.as_bytes())))
            .await;
    }
}

/// An interactive shell: a prompt, the line being typed (echoed on a
/// terminal, with backspace), and the commands run as lines complete.
struct Terminal<'a, 'o> {
    shell: &'a mut Shell,
    out: &'a Output<'o>,
    line: Vec<u8>,
}

impl Terminal<'_, '_> {
    /// Runs until `exit` or the end of stdin; the exit code, or `None` when
    /// the client closed the connection.
    async fn run(&mut self, reader: &mut websocket::Reader, v5: bool) -> Option<i32> {
        let tty = self.out.options.tty;
        if tty {
            self.out.stdout("$ ").await;
        }
        loop {
            let Incoming::Data(message) = reader.next().await else {
                return None;
            };
            let Some((&number, payload)) = message.split_first() else {
                continue;
            };
            match number {
                STDIN => {
                    if let Some(code) = self.input(payload).await {
                        return Some(code);
                    }
                }
                RESIZE => {
                    if let Ok(size) = serde_json::from_slice::<Value>(payload) {
                        let dimension =
                            |key| size.get(key).and_then(Value::as_u64).unwrap_or(0) as u16;
                        self.shell.size = Some((dimension("Width"), dimension("Height")));
                    }
                }
                // v5: the client closed stdin, as a shell reading EOF exits.
                CLOSE if v5 && payload.first() == Some(&STDIN) => {
                    if !self.line.is_empty() {
                        let line = String::from_utf8_lossy(&self.line).into_owned();
                        self.line.clear();
                        let outcome = self.shell.run_line(&line);
                        self.out.write(&outcome).await;
                    }
                    return Some(self.shell.last_code());
                }
                _ => {}
            }
        }
    }

    /// Handles typed bytes; `Some(code)` once the shell exits.
    async fn input(&mut self, bytes: &[u8]) -> Option<i32> {
        let tty = self.out.options.tty;
        for &byte in bytes {
            match byte {
                b'\r' | b'\n' => {
                    if tty {
                        self.out.stdout("\n").await;
                    }
                    let line = String::from_utf8_lossy(&self.line).into_owned();
                    self.line.clear();
                    let outcome = self.shell.run_line(&line);
                    self.out.write(&outcome).await;
                    if outcome.exit {
                        return Some(outcome.code);
                    }
                    if tty {
                        self.out.stdout("$ ").await;
                    }
                }
                // Backspace and DEL erase the last character typed.
                0x08 | 0x7F => {
                    if self.line.pop().is_some() && tty {
                        self.out.stdout("\u{8} \u{8}").await;
                    }
                }
                // Ctrl-C abandons the line.
                0x03 => {
                    self.line.clear();
                    if tty {
                        self.out.stdout("^C\n$ ").await;
                    }
                }
                // Ctrl-D on an empty line ends the shell.
                0x04 if self.line.is_empty() => return Some(self.shell.last_code()),
                _ => {
                    self.line.push(byte);
                    if tty {
                        let echo = [byte];
                        self.out.stdout(&String::from_utf8_lossy(&echo)).await;
                    }
                }
            }
        }
        None
    }
}
