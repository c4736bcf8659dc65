//! The built-in demo cluster: a realistic snapshot compiled into the binary, so
//! `kubesight --demo` works on a fresh laptop with no cluster at all.

use std::path::Path;

use jiff::Timestamp;

use crate::cache::snapshot::{Snapshot, SnapshotError, load_text};

pub const DEMO_PATH: &str = "demo/cluster.yaml";
pub const DEMO_YAML: &str = include_str!("../demo/cluster.yaml");
/// The instant the demo snapshot depicts; its timestamps are relative to it.
pub const CAPTURED_AT: &str = "2026-11-23T12:00:00Z";

pub fn captured_at() -> Timestamp {
    CAPTURED_AT.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn load() -> Result<Snapshot, SnapshotError> {
    let mut snapshot = Snapshot::default();
    load_text(Path::new(DEMO_PATH), DEMO_YAML, &mut snapshot)?;
    Ok(snapshot)
}
