//! The signals an interactive session answers: SIGTERM, SIGINT and SIGHUP end it
//! as `q` does (so the terminal is restored), and SIGTSTP suspends it as ctrl-z
//! does. Raw mode turns ctrl-c and ctrl-z into keys, so these arrive from `kill`,
//! a closing terminal or a service manager.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// What a signal asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Restore the terminal and exit with 128 + this signal number.
    Leave(i32),
    /// Hand the terminal back and stop until `fg`.
    Suspend,
}

pub struct Signals {
    terminate: Signal,
    interrupt: Signal,
    hangup: Signal,
    stop: Signal,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
            stop: signal(SignalKind::from_raw(libc::SIGTSTP))?,
        })
    }

    /// The next signal's request.
    pub async fn next(&mut self) -> Request {
        tokio::select! {
            _ = self.terminate.recv() => Request::Leave(libc::SIGTERM),
            _ = self.interrupt.recv() => Request::Leave(libc::SIGINT),
            _ = self.hangup.recv() => Request::Leave(libc::SIGHUP),
            _ = self.stop.recv() => Request::Suspend,
        }
    }
}
