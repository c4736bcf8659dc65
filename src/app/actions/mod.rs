//! What the keys and commands do beyond moving around, one file per area. Each
//! adds methods to [`App`](super::App); nothing here does I/O itself: requests
//! go to background tasks.

mod drain;
mod labels;
mod logs;
mod pod_io;
mod resources;
mod rollout;

pub(in crate::app) use drain::cordon_result;
pub(in crate::app) use labels::labels_result;
