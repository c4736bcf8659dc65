//! Handing the terminal to a shell in a pod and taking it back: the TUI leaves
//! the alternate screen (raw mode stays on, so every key goes to the remote TTY),
//! window resizes are sent along, and when the shell ends the TUI comes back
//! intact and says how the shell ended.

use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

use super::ExecRequest;
use super::terminal::TerminalGuard;
use crate::ops::exec::{ExitStatus, exec_session};

/// Runs the shell; returns the footer message (and whether it is an error).
pub async fn run_shell(
    guard: &mut TerminalGuard,
    client: kube::Client,
    readonly: bool,
    request: &ExecRequest,
    shells: &[String],
) -> (String, bool) {
    let mut stdout = std::io::stdout();
    let _ = crossterm::execute!(stdout, crossterm::terminal::LeaveAlternateScreen);
    let _ = write!(
        stdout,
        "kubesight: shell in pod {}/{} (container {}); exit returns to kubesight\r\n",
        request.namespace, request.pod, request.container
    );
    let _ = stdout.flush();

    let stop = Arc::new(AtomicBool::new(false));
    let (bytes, input) = mpsc::channel(64);
    let reader = spawn_stdin_reader(stop.clone(), bytes);
    let sizes = terminal_sizes();
    let gate = crate::ops::WriteGate::new(readonly);
    let outcome = exec_session(
        client,
        &gate,
        &request.namespace,
        &request.pod,
        &request.container,
        shells,
        ChannelReader {
            input,
            pending: Vec::new(),
        },
        tokio::io::stdout(),
        sizes,
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    let _ = reader.join();

    let _ = guard.resume();
    let pod = format!("pod {}/{}", request.namespace, request.pod);
    match outcome {
        Ok(outcome) => match outcome.status {
            ExitStatus::Code(0) => (format!("{} in {pod} exited", outcome.shell), false),
            ExitStatus::Code(code) => (
                format!("{} in {pod} exited with code {code}", outcome.shell),
                true,
            ),
            ExitStatus::Error(message) => (format!("{} in {pod}: {message}", outcome.shell), true),
        },
        Err(error) => (format!("shell in {pod}: {error}"), true),
    }
}

/// Reads the terminal's bytes on a thread that checks `stop` every 50 ms, so
/// that no read is left pending to swallow the first key after the shell ends
/// (as a plain blocking read of stdin would).
fn spawn_stdin_reader(
    stop: Arc<AtomicBool>,
    bytes: mpsc::Sender<Vec<u8>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while !stop.load(Ordering::SeqCst) {
            let mut poll = libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd on the stack, for the call's duration.
            let ready = unsafe { libc::poll(&mut poll, 1, 50) };
            if ready <= 0 || poll.revents & libc::POLLIN == 0 {
                continue;
            }
            // SAFETY: reads into a buffer we own, of the length given.
            let read = unsafe { libc::read(0, buffer.as_mut_ptr().cast(), buffer.len()) };
            if read <= 0 {
                break;
            }
            let chunk = buffer[..read as usize].to_vec();
            if bytes.blocking_send(chunk).is_err() {
                break;
            }
        }
    })
}

/// The terminal's size now and after every resize (SIGWINCH).
fn terminal_sizes() -> impl futures::Stream<Item = (u16, u16)> + Unpin + Send {
    let initial = crossterm::terminal::size().unwrap_or((80, 24));
    let (sender, receiver) = mpsc::channel(4);
    tokio::spawn(async move {
        let _ = sender.send(initial).await;
        let Ok(mut resized) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
        else {
            return;
        };
        while resized.recv().await.is_some() {
            if let Ok(size) = crossterm::terminal::size()
                && sender.send(size).await.is_err()
            {
                break;
            }
        }
    });
    Box::pin(futures::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|size| (size, r))
    }))
}

/// The bytes the reader thread sends, as an `AsyncRead`.
struct ChannelReader {
    input: mpsc::Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl AsyncRead for ChannelReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.pending.is_empty() {
            match self.input.poll_recv(cx) {
                Poll::Ready(Some(bytes)) => self.pending = bytes,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = self.pending.len().min(buf.remaining());
        buf.put_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Poll::Ready(Ok(()))
    }
}
