//! Exec (`s`): an interactive shell in a container, over kube's WebSocket exec
//! protocol with a TTY. The terminal side (raw mode, suspending the TUI) belongs
//! to the caller, which hands over plain byte streams and a stream of sizes.
//!
//! Shells are tried in order. A container without the first one (distroless or
//! alpine images lack `/bin/bash`) fails its exec at once: the runtime cannot
//! start the binary and the kubelet reports exit code 126 or 127 (or an error
//! Status naming the missing file). Such an attempt is recognised within a short
//! start-up window, during which the user's input is held back and the remote
//! output buffered, so that a failed attempt leaves no trace on the screen and
//! consumes no keystrokes; then the next shell is tried.

use std::time::Duration;

use futures::{SinkExt, Stream, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::Api;
use kube::api::{AttachParams, TerminalSize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Refused, WriteGate};

/// How long a fresh exec that says nothing may take to report that its shell
/// does not exist. A missing binary fails as the runtime starts the process.
const STARTUP_WINDOW: Duration = Duration::from_secs(2);

/// Once the remote side has spoken, how long it must stay quiet (no closing
/// Status) to count as a running shell: a shell's prompt is followed by
/// silence, a runtime's "not found" text by the Status at once.
const STARTUP_SETTLE: Duration = Duration::from_millis(150);

/// How an exec session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutcome {
    /// The shell that ran.
    pub shell: String,
    /// Shells tried before it and not found in the container.
    pub skipped: Vec<String>,
    /// The exit status from the closing Status.
    pub status: ExitStatus,
}

/// The exit of the remote shell, as the status channel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitStatus {
    /// The shell exited with this code (0 on Success).
    Code(i32),
    /// The session failed without an exit code: the Status message, or why no
    /// Status came.
    Error(String),
}

/// Why no shell session could be had.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// `--readonly`: exec can change the container, so it counts as a write.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Every configured shell was missing from the container.
    #[error("no shell found in container {container:?}: tried {}", tried.join(", "))]
    NoShell {
        /// The container exec'd into.
        container: String,
        /// The shells tried, in order.
        tried: Vec<String>,
    },
    /// The configuration lists no shell to try.
    #[error("no shell configured for exec")]
    NoShellConfigured,
    /// The API server refused the exec (pod gone, container not running, …).
    #[error("exec failed: {0}")]
    Api(String),
    /// Reading or writing the local terminal failed.
    #[error("terminal i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs an interactive shell in `container` of `namespace/pod` with a TTY,
/// trying `shells` in order; pumps `stdin` to the shell and its output to
/// `stdout`, and forwards each `(width, height)` of `sizes` (columns, rows, as
/// crossterm reports them; yield the current size first) to the remote terminal.
#[allow(clippy::too_many_arguments)]
pub async fn exec_session<I, O, S>(
    client: kube::Client,
    gate: &WriteGate,
    namespace: &str,
    pod: &str,
    container: &str,
    shells: &[String],
    mut stdin: I,
    mut stdout: O,
    mut sizes: S,
) -> Result<ExecOutcome, ExecError>
where
    I: AsyncRead + Unpin + Send,
    O: AsyncWrite + Unpin + Send,
    S: Stream<Item = (u16, u16)> + Unpin + Send,
{
    gate.check()?;
    if shells.is_empty() {
        return Err(ExecError::NoShellConfigured);
    }
    let pods: Api<Pod> = Api::namespaced(client, namespace);
    let mut skipped = Vec::new();
    let mut terminal = Terminal {
        stdin: &mut stdin,
        stdout: &mut stdout,
        sizes: &mut sizes,
        size: None,
        sizes_open: true,
    };
    for shell in shells {
        let params = AttachParams::interactive_tty().container(container);
        let process = pods
            .exec(pod, vec![shell.clone()], &params)
            .await
            .map_err(api_error)?;
        match terminal.attempt(process).await? {
            Attempt::Missing => skipped.push(shell.clone()),
            Attempt::Ran(status) => {
                return Ok(ExecOutcome {
                    shell: shell.clone(),
                    skipped,
                    status,
                });
            }
        }
    }
    Err(ExecError::NoShell {
        container: container.to_string(),
        tried: skipped,
    })
}

/// The outcome of one shell tried.
enum Attempt {
    Missing,
    Ran(ExitStatus),
}

/// The local side, kept across attempts.
struct Terminal<'a, I, O, S> {
    stdin: &'a mut I,
    stdout: &'a mut O,
    sizes: &'a mut S,
    /// The last size seen, sent first to every new attempt.
    size: Option<TerminalSize>,
    sizes_open: bool,
}

type Resizer = futures::channel::mpsc::Sender<TerminalSize>;

impl<I, O, S> Terminal<'_, I, O, S>
where
    I: AsyncRead + Unpin + Send,
    O: AsyncWrite + Unpin + Send,
    S: Stream<Item = (u16, u16)> + Unpin + Send,
{
    async fn attempt(
        &mut self,
        mut process: kube::api::AttachedProcess,
    ) -> Result<Attempt, ExecError> {
        let Some(status) = process.take_status() else {
            return Err(ExecError::Api(
                "the exec session has no status channel".into(),
            ));
        };
        let (Some(mut remote_in), Some(mut remote_out)) = (process.stdin(), process.stdout())
        else {
            return Err(ExecError::Api(
                "the exec session has no terminal streams".into(),
            ));
        };
        let mut resize = process.terminal_size();
        if let (Some(size), Some(sender)) = (&self.size, resize.as_mut()) {
            let _ = sender
                .send(TerminalSize {
                    width: size.width,
                    height: size.height,
                })
                .await;
        }
        tokio::pin!(status);
        let mut buffer = [0u8; 8192];

        // Start-up: output buffered, input held, until the window closes or
        // the session ends (then it may be a missing shell).
        let mut early = Vec::new();
        let started = tokio::time::Instant::now();
        let window = tokio::time::sleep(STARTUP_WINDOW);
        tokio::pin!(window);
        let mut out_open = true;
        loop {
            tokio::select! {
                ended = &mut status => {
                    let exit = exit_status(ended);
                    if is_missing_shell(&exit) {
                        return Ok(Attempt::Missing);
                    }
                    self.stdout.write_all(&early).await?;
                    drain(&mut remote_out, &mut *self.stdout).await?;
                    return Ok(Attempt::Ran(exit));
                }
                read = remote_out.read(&mut buffer), if out_open => match read {
                    Ok(0) | Err(_) => out_open = false,
                    Ok(n) => {
                        early.extend_from_slice(&buffer[..n]);
                        let settled = tokio::time::Instant::now() + STARTUP_SETTLE;
                        window.as_mut().reset(settled.min(started + STARTUP_WINDOW));
                    }
                },
                size = self.sizes.next(), if self.sizes_open => self.resized(size, resize.as_mut()).await,
                () = &mut window => break,
            }
        }
        self.stdout.write_all(&early).await?;
        self.stdout.flush().await?;

        let mut input = [0u8; 4096];
        let mut in_open = true;
        loop {
            tokio::select! {
                ended = &mut status => {
                    drain(&mut remote_out, &mut *self.stdout).await?;
                    return Ok(Attempt::Ran(exit_status(ended)));
                }
                read = remote_out.read(&mut buffer), if out_open => match read {
                    Ok(0) | Err(_) => out_open = false,
                    Ok(n) => {
                        self.stdout.write_all(&buffer[..n]).await?;
                        self.stdout.flush().await?;
                    }
                },
                read = self.stdin.read(&mut input), if in_open => match read? {
                    0 => {
                        // The local end closed: the shell reads EOF (kube then
                        // closes the stdin channel, protocol v5).
                        in_open = false;
                        let _ = remote_in.shutdown().await;
                    }
                    n => {
                        // A write failing means the session is ending; its
                        // Status follows.
                        let _ = remote_in.write_all(&input[..n]).await;
                    }
                },
                size = self.sizes.next(), if self.sizes_open => self.resized(size, resize.as_mut()).await,
            }
        }
    }

    async fn resized(&mut self, size: Option<(u16, u16)>, resize: Option<&mut Resizer>) {
        let Some((width, height)) = size else {
            self.sizes_open = false;
            return;
        };
        self.size = Some(TerminalSize { width, height });
        if let Some(sender) = resize {
            let _ = sender.send(TerminalSize { width, height }).await;
        }
    }
}

/// Copies what remains of the remote output; bounded, as a session that
/// reported its Status has nothing more to say.
async fn drain<R, W>(remote_out: &mut R, stdout: &mut W) -> Result<(), std::io::Error>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(1), remote_out.read_to_end(&mut rest)).await;
    stdout.write_all(&rest).await?;
    stdout.flush().await
}

/// The exit as kubectl reads the closing Status: Success is 0; a Failure with
/// reason `NonZeroExitCode` carries the code in its `ExitCode` cause
/// (client-go `tools/remotecommand/v4.go`, `errorDecoderV4`); any other
/// Failure is an error with its message.
pub fn exit_status(status: Option<Status>) -> ExitStatus {
    let Some(status) = status else {
        return ExitStatus::Error(
            "the connection closed before the shell reported its exit".into(),
        );
    };
    if status.status.as_deref() == Some("Success") {
        return ExitStatus::Code(0);
    }
    if status.reason.as_deref() == Some("NonZeroExitCode") {
        let code = status
            .details
            .as_ref()
            .and_then(|d| d.causes.as_ref())
            .and_then(|causes| {
                causes
                    .iter()
                    .find(|c| c.reason.as_deref() == Some("ExitCode"))
            })
            .and_then(|c| c.message.as_deref())
            .and_then(|m| m.parse::<i32>().ok());
        if let Some(code) = code {
            return ExitStatus::Code(code);
        }
    }
    ExitStatus::Error(
        status
            .message
            .unwrap_or_else(|| "the exec session failed".to_string()),
    )
}

/// Whether a session that ended during start-up did so because its shell does
/// not exist. Runtimes report it two ways: runc through docker prints `OCI
/// runtime exec failed: … exec: "/bin/bash": stat /bin/bash: no such file or
/// directory` and exits 126 (127 when a shell reports "not found"); containerd
/// fails the exec with a Status `Internal error occurred: … executable file
/// not found in $PATH`.
fn is_missing_shell(exit: &ExitStatus) -> bool {
    match exit {
        ExitStatus::Code(code) => *code == 126 || *code == 127,
        ExitStatus::Error(message) => {
            message.contains("no such file or directory")
                || message.contains("executable file not found")
        }
    }
}

fn api_error(error: kube::Error) -> ExecError {
    match error {
        kube::Error::Api(status) => ExecError::Api(status.message),
        other => ExecError::Api(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(value: serde_json::Value) -> Option<Status> {
        Some(serde_json::from_value(value).expect("a Status"))
    }

    #[test]
    fn the_closing_status_gives_the_exit() {
        assert_eq!(
            exit_status(status(serde_json::json!({"status": "Success"}))),
            ExitStatus::Code(0)
        );
        assert_eq!(
            exit_status(status(serde_json::json!({
                "status": "Failure", "reason": "NonZeroExitCode",
                "message": "command terminated with non-zero exit code: exit code 3",
                "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}
            }))),
            ExitStatus::Code(3)
        );
        assert_eq!(
            exit_status(status(serde_json::json!({
                "status": "Failure", "reason": "InternalError",
                "message": "error executing command in container: container not found"
            }))),
            ExitStatus::Error("error executing command in container: container not found".into())
        );
        assert_eq!(
            exit_status(None),
            ExitStatus::Error("the connection closed before the shell reported its exit".into())
        );
    }

    #[test]
    fn missing_shells_are_recognised() {
        assert!(is_missing_shell(&ExitStatus::Code(127)));
        assert!(is_missing_shell(&ExitStatus::Code(126)));
        assert!(!is_missing_shell(&ExitStatus::Code(1)));
        assert!(is_missing_shell(&ExitStatus::Error(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/bin/bash\": stat /bin/bash: no such file or directory: unknown".into()
        )));
        assert!(!is_missing_shell(&ExitStatus::Error(
            "container not found".into()
        )));
    }
}
