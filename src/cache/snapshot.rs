//! Saved clusters on disk: a file, or every YAML and JSON file of a directory.
//! Parsing (and its errors that name the file, the line and the column) is the
//! model's; this is only the reading of files.

use std::path::{Path, PathBuf};

pub use kubesight_model::snapshot::{Snapshot, SnapshotError, load_text};
use kubesight_model::snapshot::{error, extension};

/// Loads a file or, recursively, every `.yaml`, `.yml` and `.json` file of a
/// directory (in name order, so later files win on duplicates deterministically).
pub fn load_path(path: &Path) -> Result<Snapshot, SnapshotError> {
    let mut snapshot = Snapshot::default();
    let meta =
        std::fs::metadata(path).map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        collect_files(path, &mut files)?;
        if files.is_empty() {
            return Err(error(
                path,
                None,
                "no .yaml, .yml or .json files in this directory",
            ));
        }
        for file in files {
            load_file(&file, &mut snapshot)?;
        }
    } else {
        load_file(path, &mut snapshot)?;
    }
    if snapshot.objects.total() == 0 && snapshot.skipped.is_empty() {
        return Err(error(path, None, "no Kubernetes objects found"));
    }
    Ok(snapshot)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SnapshotError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| error(dir, None, format!("cannot read directory: {e}")))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|e| {
            e.map(|e| e.path())
                .map_err(|e| error(dir, None, format!("cannot read directory: {e}")))
        })
        .collect::<Result<_, _>>()?;
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if matches!(extension(&path).as_deref(), Some("yaml" | "yml" | "json")) {
            out.push(path);
        }
    }
    Ok(())
}

fn load_file(path: &Path, snapshot: &mut Snapshot) -> Result<(), SnapshotError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    load_text(path, &text, snapshot)
}
