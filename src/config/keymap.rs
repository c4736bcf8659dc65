//! Key bindings. The defaults live in `keymaps/default.yaml`; a user `keymap.yaml`
//! rebinds single actions.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{ConfigError, read_optional, yaml_error};

const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.yaml");

macro_rules! actions {
    ($($variant:ident => $name:literal, $help:literal;)*) => {
        /// What a key can do in a table view.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum KeyAction { $($variant),* }

        impl KeyAction {
            pub const ALL: &'static [KeyAction] = &[$(KeyAction::$variant),*];

            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $(KeyAction::$variant => $name),* }
            }

            pub fn help(self) -> &'static str {
                match self { $(KeyAction::$variant => $help),* }
            }

            pub fn from_name(name: &str) -> Option<KeyAction> {
                match name { $($name => Some(KeyAction::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Up => "up", "move up";
    Down => "down", "move down";
    PageUp => "page_up", "page up";
    PageDown => "page_down", "page down";
    Top => "top", "go to the first row";
    Bottom => "bottom", "go to the last row";
    Select => "select", "open (a node's pods)";
    Back => "back", "back / clear filter";
    Filter => "filter", "filter: text matches names, selectors match labels";
    Command => "command", "command (:pods :nodes :ns NAME :ns all :q)";
    Help => "help", "show this help";
    Quit => "quit", "quit";
    SortNext => "sort_next", "sort by the next column";
    SortPrev => "sort_prev", "sort by the previous column";
    SortReverse => "sort_reverse", "reverse the sort order";
    Yaml => "yaml", "the object as YAML";
    Tree => "tree", "ownership tree of the object";
    Rollout => "rollout", "rollout history and status of a workload";
    Events => "events", "events of the object";
    Qos => "qos", "QoS class of a pod, and why";
    Probes => "probes", "probes of a pod's containers";
    Toggle => "toggle", "collapse / expand (tree); mark (rollout revision, node)";
    ManagedFields => "managed_fields", "show / hide managedFields (YAML)";
    NextMatch => "next_match", "next search match";
    PrevMatch => "prev_match", "previous search match";
    CopyYaml => "copy_yaml", "copy the YAML to the clipboard";
    CopyName => "copy_name", "copy the object's name to the clipboard";
    Diff => "diff", "rollout: diff the marked revision against the selected one; a kind's table: describe the row";
    Undo => "undo", "roll back to the selected revision (asks first)";
    Cordon => "cordon", "cordon the marked (or selected) nodes (asks first)";
    Uncordon => "uncordon", "uncordon the marked (or selected) nodes (asks first)";
    Drain => "drain", "drain plan of the marked (or selected) nodes; in the plan: start it";
    Cancel => "cancel", "cancel the running drain (nodes stay cordoned)";
    Edit => "edit", "edit labels / annotations of the marked (or selected) objects";
    Logs => "logs", "logs of a pod, or of every pod of a workload";
    Pause => "pause", "logs: pause / resume autoscroll";
    Timestamps => "timestamps", "logs: show / hide timestamps";
    Wrap => "wrap", "documents and logs: wrap long lines, or scroll sideways";
    ScrollLeft => "scroll_left", "documents not wrapped: scroll left";
    ScrollRight => "scroll_right", "documents not wrapped: scroll right";
    Wide => "wide", "tables of any kind: the -o wide columns, or not";
    Decode => "decode", "a Secret's values, decoded (never shown otherwise)";
    Container => "container", "logs: next container (each, then all)";
    Previous => "previous", "logs: the previous container's logs";
    Save => "save", "logs: save what is shown to a file";
    Shell => "shell", "shell in the pod's container";
    PortForward => "port_forward", "port-forward to a pod, service or deployment";
}

/// One key with its modifiers, normalised so that `G` and `shift-g` are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    fn normalized(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // The character already carries the shift.
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::normalized(event.code, event.modifiers)
    }

    pub fn parse(text: &str) -> Option<Key> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let stripped = ["ctrl-", "alt-", "shift-"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len());
            match stripped {
                Some(&"ctrl-") => modifiers |= KeyModifiers::CONTROL,
                Some(&"alt-") => modifiers |= KeyModifiers::ALT,
                Some(_) => modifiers |= KeyModifiers::SHIFT,
                None => break,
            }
            rest = &rest[stripped.map_or(0, |p| p.len())..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().ok()?)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        if modifiers.contains(KeyModifiers::SHIFT) && code == KeyCode::Tab {
            return Some(Key {
                code: KeyCode::BackTab,
                modifiers: modifiers - KeyModifiers::SHIFT,
            });
        }
        Some(Key::normalized(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<KeyAction, Vec<Key>>,
    lookup: HashMap<Key, KeyAction>,
}

fn parse_file(path: &Path, text: &str) -> Result<BTreeMap<KeyAction, Vec<Key>>, ConfigError> {
    let raw: BTreeMap<String, Vec<String>> =
        serde_saphyr::from_str::<Option<BTreeMap<String, Vec<String>>>>(text)
            .map_err(|e| yaml_error(path, &e))?
            .unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut seen: HashMap<Key, &str> = HashMap::new();
    for (name, keys) in &raw {
        let action = KeyAction::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = KeyAction::ALL.iter().map(|a| a.name()).collect();
            ConfigError::new(
                path,
                Some(name),
                format!("unknown action; the actions are: {}", names.join(", ")),
            )
        })?;
        let mut parsed = Vec::new();
        for text in keys {
            let key = Key::parse(text).ok_or_else(|| {
                ConfigError::new(
                    path,
                    Some(name),
                    format!("{text:?} is not a key (try j, G, ctrl-d, pgdn, enter, f5)"),
                )
            })?;
            if let Some(other) = seen.insert(key, name) {
                return Err(ConfigError::new(
                    path,
                    Some(name),
                    format!("{text:?} is also bound to {other}"),
                ));
            }
            parsed.push(key);
        }
        out.insert(action, parsed);
    }
    Ok(out)
}

impl Keymap {
    pub fn default_keys() -> Keymap {
        let bindings =
            parse_file(Path::new("keymaps/default.yaml"), DEFAULT_KEYMAP).unwrap_or_default();
        Keymap::from_bindings(bindings)
    }

    fn from_bindings(bindings: BTreeMap<KeyAction, Vec<Key>>) -> Keymap {
        let lookup = bindings
            .iter()
            .flat_map(|(action, keys)| keys.iter().map(move |k| (*k, *action)))
            .collect();
        Keymap { bindings, lookup }
    }

    /// The defaults patched by `keymap.yaml` in `config_dir`, when there is one.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, ConfigError> {
        let mut bindings = Keymap::default_keys().bindings;
        let Some(path) = config_dir.map(|d| d.join("keymap.yaml")) else {
            return Ok(Keymap::from_bindings(bindings));
        };
        let Some(text) = read_optional(&path)? else {
            return Ok(Keymap::from_bindings(bindings));
        };
        let user = parse_file(&path, &text)?;
        for (action, keys) in user {
            for other in bindings.values_mut() {
                other.retain(|k| !keys.contains(k));
            }
            bindings.insert(action, keys);
        }
        Ok(Keymap::from_bindings(bindings))
    }

    pub fn action(&self, key: &Key) -> Option<KeyAction> {
        self.lookup.get(key).copied()
    }

    pub fn keys(&self, action: KeyAction) -> &[Key] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The first key bound to `action`, for hints; empty when unbound.
    pub fn hint(&self, action: KeyAction) -> String {
        self.keys(action)
            .first()
            .map(Key::to_string)
            .unwrap_or_default()
    }

    pub fn file_path(config_dir: &Path) -> PathBuf {
        config_dir.join("keymap.yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keymap_binds_every_action() {
        let keymap = Keymap::default_keys();
        for action in KeyAction::ALL {
            assert!(
                !keymap.keys(*action).is_empty(),
                "{} is unbound",
                action.name()
            );
        }
        let key = |s: &str| Key::parse(s).unwrap();
        assert_eq!(keymap.action(&key("j")), Some(KeyAction::Down));
        assert_eq!(keymap.action(&key("G")), Some(KeyAction::Bottom));
        assert_eq!(keymap.action(&key("ctrl-c")), Some(KeyAction::Quit));
    }

    #[test]
    fn events_normalise_like_parsed_keys() {
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), Key::parse("G").unwrap());
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert_eq!(Key::parse("shift-tab"), Key::parse("backtab"));
        assert_eq!(Key::parse("ctrl-d").unwrap().to_string(), "ctrl-d");
        assert!(Key::parse("jj").is_none());
        assert!(Key::parse("f13").is_none());
    }

    #[test]
    fn user_file_rebinds_single_actions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keymap.yaml"), "quit: [x]\ndown: [q]\n").unwrap();
        let keymap = Keymap::load(Some(dir.path())).unwrap();
        assert_eq!(
            keymap.action(&Key::parse("x").unwrap()),
            Some(KeyAction::Quit)
        );
        assert_eq!(
            keymap.action(&Key::parse("q").unwrap()),
            Some(KeyAction::Down)
        );
        assert_eq!(keymap.action(&Key::parse("j").unwrap()), None);
        assert_eq!(
            keymap.action(&Key::parse("k").unwrap()),
            Some(KeyAction::Up)
        );
    }

    #[test]
    fn bad_user_files_name_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.yaml");
        std::fs::write(&path, "jump: [j]\n").unwrap();
        let err = Keymap::load(Some(dir.path())).unwrap_err();
        assert_eq!(
            (err.file.as_path(), err.key.as_deref()),
            (path.as_path(), Some("jump"))
        );
        std::fs::write(&path, "up: [ctrl-]\n").unwrap();
        let err = Keymap::load(Some(dir.path())).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("up"));
        assert!(err.to_string().contains("is not a key"), "{err}");
        std::fs::write(&path, "up: [x]\ndown: [x]\n").unwrap();
        assert!(
            Keymap::load(Some(dir.path()))
                .unwrap_err()
                .to_string()
                .contains("also bound")
        );
        std::fs::write(&path, "up: [k\n").unwrap();
        assert!(
            Keymap::load(Some(dir.path()))
                .unwrap_err()
                .to_string()
                .contains("line")
        );
    }
}
