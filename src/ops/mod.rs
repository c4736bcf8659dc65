//! The only code that talks to the API beyond the watches: every request the user
//! asks for. Each op is an async function the app runs as a task; its outcome comes
//! back to the UI loop as a message, so the UI never waits on the network. Every
//! write goes through a [`WriteGate`] first: `--readonly` refuses before any
//! request is sent.

pub mod cordon;
pub mod discovery;
pub mod drain;
mod drain_observe;
mod drain_requests;
mod drain_run;
pub mod exec;
pub mod fetch;
mod gate;
pub mod labels;
pub mod logs;
mod pod_watch;
pub mod portforward;
pub mod rollout_undo;
pub mod tables;

pub use gate::{READONLY_REFUSAL, Refused, WriteGate};
