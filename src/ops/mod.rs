//! The only code that talks to the API beyond the watches: every request the user
//! asks for. Each op is an async function the app runs as a task; its outcome comes
//! back to the UI loop as a message, so the UI never waits on the network. Every
//! op that writes checks the read-only flag before it sends anything.

pub mod fetch;
pub mod rollout_undo;
