//! The only code that writes to the cluster. Every write goes through a
//! [`WriteGate`] first; long operations run as tokio tasks and report progress
//! as messages, so the UI loop never waits on the network.

pub mod cordon;
pub mod drain;
pub mod drain_event;
mod drain_observe;
mod drain_requests;
mod drain_run;
mod gate;
mod pod_watch;

pub use gate::{READONLY_REFUSAL, Refused, WriteGate};
