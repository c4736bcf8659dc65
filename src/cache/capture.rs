//! Writing a capture of the cache to a file (the model makes the YAML).

use std::path::Path;

use jiff::Timestamp;

use crate::cache::Stores;
use crate::model::capture::capture;

/// Captures `stores` at `at` into `path`; the line to show the user, or why not.
pub fn write(stores: &Stores, path: &Path, at: Timestamp) -> Result<String, String> {
    let captured = capture(stores, None, at);
    std::fs::write(path, &captured.yaml)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "wrote {} objects to {} ({:.1} MiB)",
        captured.objects,
        path.display(),
        captured.yaml.len() as f64 / (1024.0 * 1024.0)
    ))
}
