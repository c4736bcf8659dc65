//! Themes and keymaps: defaults embedded from `themes/` and `keymaps/` at build
//! time, patched by the user's files in the config directory.

pub mod keymap;
pub mod paths;
pub mod settings;
pub mod theme;

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a config file, naming the file and the offending key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub fn new(file: &Path, key: Option<&str>, message: impl Into<String>) -> Self {
        ConfigError {
            file: file.to_path_buf(),
            key: key.map(str::to_string),
            message: message.into(),
        }
    }
}

/// Reads an optional user file: `Ok(None)` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::new(path, None, format!("cannot read: {e}"))),
    }
}

/// A YAML parse error as one line, with its place in the file.
pub(crate) fn yaml_error(path: &Path, e: &serde_saphyr::Error) -> ConfigError {
    let place = crate::yaml_error::place(e)
        .map(|(line, column)| format!("line {line}, column {column}: "))
        .unwrap_or_default();
    ConfigError::new(
        path,
        None,
        format!("{place}{}", crate::yaml_error::message(e)),
    )
}
