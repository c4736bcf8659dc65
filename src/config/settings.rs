//! `config.yaml`: the few behaviours that are settings rather than keys or
//! colours. Every field is optional; unknown fields are refused with the file and
//! the key, as for keymaps and themes.

use std::path::Path;

use serde::Deserialize;

use super::{ConfigError, read_optional, yaml_error};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The log view keeps at most this many lines…
    pub log_max_lines: usize,
    /// …and at most this many bytes, dropping the oldest.
    pub log_max_bytes: usize,
    /// Shells `s` tries, in order.
    pub shells: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let limits = crate::model::log_buffer::LogLimits::default();
        Settings {
            log_max_lines: limits.max_lines,
            log_max_bytes: limits.max_bytes,
            shells: vec!["/bin/bash".into(), "/bin/sh".into()],
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    logs: Option<LogsFile>,
    #[serde(default)]
    shell: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogsFile {
    max_lines: Option<usize>,
    max_bytes: Option<usize>,
}

impl Settings {
    /// The defaults, patched by `config.yaml` in `config_dir` when there is one.
    pub fn load(config_dir: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut settings = Settings::default();
        let Some(dir) = config_dir else {
            return Ok(settings);
        };
        let path = dir.join("config.yaml");
        let Some(text) = read_optional(&path)? else {
            return Ok(settings);
        };
        let file: File = serde_saphyr::from_str(&text).map_err(|e| yaml_error(&path, &e))?;
        if let Some(logs) = file.logs {
            if let Some(lines) = logs.max_lines {
                if lines == 0 {
                    return Err(ConfigError::new(
                        &path,
                        Some("logs.max_lines"),
                        "must be at least 1",
                    ));
                }
                settings.log_max_lines = lines;
            }
            if let Some(bytes) = logs.max_bytes {
                if bytes < 1024 {
                    return Err(ConfigError::new(
                        &path,
                        Some("logs.max_bytes"),
                        "must be at least 1024",
                    ));
                }
                settings.log_max_bytes = bytes;
            }
        }
        if let Some(shells) = file.shell {
            if shells.is_empty() {
                return Err(ConfigError::new(
                    &path,
                    Some("shell"),
                    "name at least one shell",
                ));
            }
            settings.shells = shells;
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_file_patches_the_defaults_and_bad_values_name_the_key() {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::write(
            dir.path().join("config.yaml"),
            "logs:\n  max_lines: 1000\nshell: [/bin/zsh, /bin/sh]\n",
        )
        .expect("written");
        let settings = Settings::load(Some(dir.path())).expect("valid");
        assert_eq!(settings.log_max_lines, 1000);
        assert_eq!(settings.log_max_bytes, Settings::default().log_max_bytes);
        assert_eq!(settings.shells, ["/bin/zsh", "/bin/sh"]);

        std::fs::write(dir.path().join("config.yaml"), "logs:\n  max_bytes: 10\n")
            .expect("written");
        let error = Settings::load(Some(dir.path())).expect_err("too small");
        assert!(
            error
                .to_string()
                .ends_with("config.yaml: logs.max_bytes: must be at least 1024"),
            "{error}"
        );
    }
}
