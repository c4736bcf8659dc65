//! Colour themes with semantic roles. The built-ins come from `themes/*.yaml`;
//! `theme.yaml` in the config dir overrides single roles of whichever theme is
//! active, and `themes/NAME.yaml` there adds themes that `--theme NAME` selects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use serde::Deserialize;

use super::{ConfigError, read_optional, yaml_error};

const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
];

macro_rules! roles {
    ($($role:ident),* $(,)?) => {
        /// Every colour kubesight draws with, by what it means.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            pub name: String,
            $(pub $role: Color,)*
        }

        const ROLE_NAMES: &[&str] = &[$(stringify!($role)),*];

        impl Theme {
            fn set(&mut self, role: &str, color: Color) -> bool {
                match role {
                    $(stringify!($role) => { self.$role = color; true })*
                    _ => false,
                }
            }

            fn blank(name: &str) -> Theme {
                Theme { name: name.to_string(), $($role: Color::Reset,)* }
            }
        }
    };
}

roles!(
    text,
    muted,
    accent,
    border,
    title,
    header_bg,
    header_fg,
    header_key,
    column_header,
    selection_bg,
    selection_fg,
    good,
    progressing,
    warning,
    bad,
    key,
    prompt,
    error,
    info,
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    name: Option<String>,
    /// For user themes: the built-in to start from.
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
}

fn parse_file(path: &Path, text: &str) -> Result<ThemeFile, ConfigError> {
    serde_saphyr::from_str(text).map_err(|e| yaml_error(path, &e))
}

fn apply(theme: &mut Theme, path: &Path, file: &ThemeFile) -> Result<(), ConfigError> {
    for (role, value) in &file.colors {
        let key = format!("colors.{role}");
        let color = Color::from_str(value.trim()).map_err(|_| {
            ConfigError::new(
                path,
                Some(&key),
                format!(
                    "{value:?} is not a colour (use a name like red, an index 0-255, or #rrggbb)"
                ),
            )
        })?;
        if !theme.set(role, color) {
            return Err(ConfigError::new(
                path,
                Some(&key),
                format!(
                    "unknown colour role; the roles are: {}",
                    ROLE_NAMES.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn builtin(name: &str) -> Option<Theme> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let path = PathBuf::from(format!("themes/{name}.yaml"));
    let file = parse_file(&path, text).ok()?;
    let mut theme = Theme::blank(name);
    apply(&mut theme, &path, &file).ok()?;
    Some(theme)
}

pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

impl Theme {
    /// The built-in dark theme, never failing.
    pub fn default_dark() -> Theme {
        builtin("default").unwrap_or_else(|| Theme::blank("default"))
    }

    /// Resolves `--theme NAME` (a built-in, or `themes/NAME.yaml` in `config_dir`),
    /// then applies the user's `theme.yaml` overrides.
    pub fn load(name: Option<&str>, config_dir: Option<&Path>) -> Result<Theme, ConfigError> {
        let name = name.unwrap_or("default");
        let mut theme = match builtin(name) {
            Some(theme) => theme,
            None => {
                let Some(path) = config_dir.map(|d| d.join("themes").join(format!("{name}.yaml")))
                else {
                    return Err(unknown_theme(name, None));
                };
                let Some(text) = read_optional(&path)? else {
                    return Err(unknown_theme(name, Some(&path)));
                };
                let file = parse_file(&path, &text)?;
                let base = file.base.as_deref().unwrap_or("default");
                let mut theme = builtin(base).ok_or_else(|| {
                    ConfigError::new(
                        &path,
                        Some("base"),
                        format!(
                            "no built-in theme {base:?}; built-ins: {}",
                            builtin_names().join(", ")
                        ),
                    )
                })?;
                theme.name = file.name.clone().unwrap_or_else(|| name.to_string());
                apply(&mut theme, &path, &file)?;
                theme
            }
        };
        if let Some(dir) = config_dir {
            let path = dir.join("theme.yaml");
            if let Some(text) = read_optional(&path)? {
                let file = parse_file(&path, &text)?;
                apply(&mut theme, &path, &file)?;
            }
        }
        Ok(theme)
    }
}

fn unknown_theme(name: &str, looked_at: Option<&Path>) -> ConfigError {
    let path = looked_at
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("--theme"));
    ConfigError::new(
        &path,
        None,
        format!(
            "no theme named {name:?}; built-ins: {}",
            builtin_names().join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_define_every_role() {
        for name in builtin_names() {
            let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).unwrap();
            let file = parse_file(Path::new(name), text).unwrap();
            for role in ROLE_NAMES {
                assert!(
                    file.colors.contains_key(*role),
                    "theme {name} lacks role {role}"
                );
            }
            assert!(builtin(name).is_some());
        }
    }

    #[test]
    fn user_overrides_single_roles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("theme.yaml"),
            "colors:\n  bad: \"#ff0000\"\n",
        )
        .unwrap();
        let theme = Theme::load(Some("light"), Some(dir.path())).unwrap();
        assert_eq!(theme.bad, Color::Rgb(255, 0, 0));
        assert_eq!(theme.good, builtin("light").unwrap().good);
    }

    #[test]
    fn bad_user_files_name_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("theme.yaml");
        std::fs::write(&path, "colors:\n  bad: not-a-colour\n").unwrap();
        let err = Theme::load(None, Some(dir.path())).unwrap_err();
        assert_eq!(err.file, path);
        assert_eq!(err.key.as_deref(), Some("colors.bad"));
        std::fs::write(&path, "colors:\n  sparkle: red\n").unwrap();
        let err = Theme::load(None, Some(dir.path())).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("colors.sparkle"));
        assert!(err.to_string().contains("unknown colour role"));
    }

    #[test]
    fn custom_themes_and_unknown_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/solar.yaml"),
            "base: light\ncolors:\n  accent: yellow\n",
        )
        .unwrap();
        let theme = Theme::load(Some("solar"), Some(dir.path())).unwrap();
        assert_eq!(theme.accent, Color::Yellow);
        assert_eq!(theme.text, builtin("light").unwrap().text);
        let err = Theme::load(Some("nope"), Some(dir.path())).unwrap_err();
        assert!(err.to_string().contains("no theme named \"nope\""), "{err}");
    }
}
