//! Saved clusters on disk: a file, or every YAML and JSON file of a directory.
//! Parsing (and its errors that name the file, the line and the column) is the
//! model's; this is only the reading of files, with bounds: directories are
//! walked once each (symlink loops end), only regular files are read (a FIFO or
//! a device is never opened), and a file too big for the memory at hand is
//! refused before it is read.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use kubesight_model::snapshot::{PodForm, error, extension, load_text_as};
pub use kubesight_model::snapshot::{Snapshot, SnapshotError, load_text};

/// Parsing holds several times a file's bytes; a file may take at most this
/// share of the memory available when it is opened.
const MEMORY_SHARE: u64 = 8;
/// The limit when available memory cannot be read.
const FALLBACK_LIMIT: u64 = 2 << 30;

/// Loads a file or, recursively, every `.yaml`, `.yml` and `.json` file of a
/// directory (in name order, so later files win on duplicates deterministically).
/// Pods come slim, as the cache keeps them (`slim_pods`, with their full objects
/// as text in `full_pods`).
pub fn load_path(path: &Path) -> Result<Snapshot, SnapshotError> {
    let mut snapshot = Snapshot::default();
    let meta =
        std::fs::metadata(path).map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    let limit = size_limit();
    if meta.is_dir() {
        let mut files = Vec::new();
        let mut visited = HashSet::new();
        collect_files(path, &mut files, &mut visited)?;
        if files.is_empty() {
            return Err(error(
                path,
                None,
                "no .yaml, .yml or .json files in this directory",
            ));
        }
        for file in files {
            load_file(&file, limit, &mut snapshot)?;
        }
    } else {
        load_file(path, limit, &mut snapshot)?;
    }
    if snapshot.total() == 0 {
        // Nothing usable: a file of malformed objects is an error, not a view.
        return Err(match snapshot.malformed.first() {
            Some(problem) => problem.clone(),
            None => error(path, None, "no Kubernetes objects found"),
        });
    }
    for problem in &snapshot.malformed {
        tracing::warn!(%problem, "malformed object skipped");
    }
    Ok(snapshot)
}

/// A directory's files, depth first in name order. `visited` holds every
/// directory entered (by device and inode), so a symlink back up the tree is
/// followed once at most.
fn collect_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut HashSet<(u64, u64)>,
) -> Result<(), SnapshotError> {
    let meta = std::fs::metadata(dir).map_err(|e| error(dir, None, format!("cannot read: {e}")))?;
    if !visited.insert((meta.dev(), meta.ino())) {
        tracing::info!(dir = %dir.display(), "directory already read (a symlink loop?)");
        return Ok(());
    }
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
        // Follows symlinks; a dangling one is skipped like any unreadable entry.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect_files(&path, out, visited)?;
        } else if meta.is_file()
            && matches!(extension(&path).as_deref(), Some("yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn load_file(path: &Path, limit: u64, snapshot: &mut Snapshot) -> Result<(), SnapshotError> {
    // Checked before opening: opening a FIFO waits for a writer.
    let meta =
        std::fs::metadata(path).map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(error(
            path,
            None,
            "not a regular file (a FIFO, a device or a socket): not read",
        ));
    }
    if meta.len() > limit {
        return Err(error(path, None, too_big(meta.len(), limit)));
    }
    let file =
        std::fs::File::open(path).map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    let mut text = String::new();
    // The file may grow while it is read: never take more than the limit.
    file.take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|e| error(path, None, format!("cannot read: {e}")))?;
    if text.len() as u64 > limit {
        return Err(error(path, None, too_big(text.len() as u64, limit)));
    }
    load_text_as(path, &text, PodForm::Slim, snapshot)
}

fn too_big(size: u64, limit: u64) -> String {
    format!(
        "{} is more than this machine can load now (at most {}: an eighth of the available memory)",
        bytes(size),
        bytes(limit)
    )
}

fn bytes(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= 1 << 30 {
        format!("{:.1} GiB", n as f64 / (MIB * 1024.0))
    } else if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// The largest file to read: a share of `MemAvailable` from /proc/meminfo.
fn size_limit() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| available_kib(&info))
        .map(|kib| kib * 1024 / MEMORY_SHARE)
        .unwrap_or(FALLBACK_LIMIT)
}

fn available_kib(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemAvailable:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_parsed() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("big.yaml");
        let text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n";
        std::fs::write(&path, text).expect("written");
        let mut snapshot = Snapshot::default();
        let err = load_file(&path, 16, &mut snapshot).expect_err("over the limit");
        assert_eq!(
            err.message,
            format!(
                "{} bytes is more than this machine can load now (at most 16 bytes: an \
                 eighth of the available memory)",
                text.len()
            )
        );
        assert_eq!(bytes(3 << 29), "1.5 GiB");
        assert!(load_file(&path, 1 << 20, &mut snapshot).is_ok());
        assert_eq!(snapshot.objects.nodes.len(), 1);
    }

    #[test]
    fn available_memory_is_read_from_meminfo() {
        let info = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   16777216 kB\n";
        assert_eq!(available_kib(info), Some(16_777_216));
        assert_eq!(available_kib("MemTotal: 1 kB\n"), None);
    }
}
