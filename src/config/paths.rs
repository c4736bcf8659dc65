//! Where kubesight keeps things: the platform's config dir (honouring
//! `XDG_CONFIG_HOME`) and its state dir for logs.

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "kubesight", "kubesight")
}

/// `$XDG_CONFIG_HOME/kubesight` on Linux, the platform equivalent elsewhere.
pub fn config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}

/// `$XDG_STATE_HOME/kubesight` on Linux; the local data dir where there is no
/// state dir.
pub fn state_dir() -> Option<PathBuf> {
    project().map(|p| p.state_dir().unwrap_or(p.data_local_dir()).to_path_buf())
}
