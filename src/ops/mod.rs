//! Operations that write to the cluster. Each one checks the read-only flag
//! before it sends anything.

pub mod rollout_undo;
