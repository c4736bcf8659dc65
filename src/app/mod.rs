//! The interactive application: state, [`Action`]s and `update`. Terminal events and
//! cache notifications become actions; `update` changes state and says whether the
//! screen must be redrawn. Nothing here does I/O, so the whole app runs headless.

mod actions;
pub mod command;
pub mod doc_view;
pub mod docs;
pub mod drain_session;
pub mod input;
pub mod label_editing;
pub mod log_session;
pub mod run;
pub mod shell_terminal;
pub mod targets;
pub mod tasks;
pub mod terminal;
pub mod views;

use crate::cache::{Cache, Kind, KindSet};
use crate::clock::Clock;
use crate::config::keymap::{KeyAction, Keymap};
use crate::config::theme::Theme;
use crate::model::doc::ObjectRef;
use crate::model::drain::counts_from_stores;
use crate::model::filter::Filter;
use crate::model::node_rows::node_rows;
use crate::model::pod_rows::pod_rows;
use crate::model::table::Sort;
use crate::model::table::TableRow;
use actions::{cordon_result, labels_result};
use command::Command;
use doc_view::DocView;
use docs::{DocInputs, DocKind};
use tasks::{TaskResult, Tasks};
use views::{Navigable, Screen};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyAction),
    PromptInput(char),
    PromptBackspace,
    PromptClear,
    PromptSubmit,
    PromptCancel,
    Resize(u16, u16),
    CacheChanged(KindSet),
    /// The clock moved: ages on screen change.
    Tick,
    /// A background task finished.
    Task(TaskResult),
}

/// A one-line prompt at the bottom of the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub input: String,
    /// Why the input cannot be used as it is; the input itself is kept.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter(Prompt),
    Command(Prompt),
    /// A yes/no question before a write: `y` goes ahead, anything else does not.
    Confirm(Confirm),
    /// Changes for the label editor, typed as `kubectl label` takes them.
    EditLabels(Prompt),
    /// `REMOTE [LOCAL]` ports for a port-forward to `target`.
    Forward {
        target: crate::model::forwards::ForwardTarget,
        prompt: Prompt,
    },
}

/// A shell to open in a pod's container, with the terminal handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRequest {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub action: Pending,
}

/// A write the user asked for, held until they confirm it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// `kubectl rollout undo --to-revision`
    Undo { target: ObjectRef, revision: i64 },
    /// `kubectl cordon` (or `uncordon` when `on` is false)
    Cordon { nodes: Vec<String>, on: bool },
    /// A label or annotation edit of these objects, each conditional on the
    /// resourceVersion it was edited at.
    Labels {
        targets: Vec<(ObjectRef, String)>,
        edit: crate::model::labels_edit::LabelEdit,
    },
    /// The drain the plan on screen shows.
    Drain {
        nodes: Vec<String>,
        options: crate::model::drain::DrainOptions,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub is_error: bool,
}

/// Where the data comes from, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// `demo`, `snapshot PATH`, …
    pub label: String,
    pub context: String,
}

pub struct App {
    pub cache: Cache,
    pub clock: Clock,
    pub theme: Theme,
    pub keymap: Keymap,
    pub source: SourceInfo,
    /// `None` is every namespace.
    pub namespace: Option<String>,
    /// The view stack; the last screen is on top. Never empty.
    pub stack: Vec<Screen>,
    pub mode: Mode,
    pub help_open: bool,
    /// First help line on screen.
    pub help_scroll: u16,
    pub flash: Option<Flash>,
    pub should_quit: bool,
    pub size: (u16, u16),
    /// Whatever must live as long as the app, such as the demo's in-process
    /// simulator.
    pub keep_alive: Vec<Box<dyn std::any::Any + Send>>,
    /// The API client of a live source (the demo included); `None` for files.
    pub client: Option<kube::Client>,
    /// `--readonly`: no write request is ever sent.
    pub readonly: bool,
    pub tasks: Tasks,
    pub clipboard: Box<dyn crate::clipboard::Clipboard>,
    /// The drain started from this app, running or finished.
    pub drain: Option<drain_session::DrainSession>,
    /// The port-forwards started from this app.
    pub forwards: crate::ops::portforward::Forwards,
    /// A shell the UI loop should run with the terminal handed over.
    pub pending_exec: Option<ExecRequest>,
    /// The logs on screen (streams stop when their view is left).
    pub logs: Option<log_session::LogSession>,
    /// `config.yaml`: log buffer bounds, shells.
    pub settings: crate::config::settings::Settings,
    /// The options `D` plans with: the last ones `:drain` was given.
    pub drain_options: crate::model::drain::DrainOptions,
}

impl App {
    pub fn new(
        cache: Cache,
        clock: Clock,
        theme: Theme,
        keymap: Keymap,
        source: SourceInfo,
    ) -> App {
        let mut app = App {
            cache,
            clock,
            theme,
            keymap,
            source,
            namespace: None,
            stack: vec![Screen::pods(None)],
            mode: Mode::Normal,
            help_open: false,
            help_scroll: 0,
            flash: None,
            should_quit: false,
            size: (80, 24),
            keep_alive: Vec::new(),
            client: None,
            readonly: false,
            tasks: Tasks::default(),
            clipboard: Box::new(crate::clipboard::SystemClipboard),
            drain: None,
            logs: None,
            forwards: Default::default(),
            pending_exec: None,
            settings: Default::default(),
            drain_options: Default::default(),
        };
        app.refresh_all();
        app
    }

    pub fn screen(&self) -> &Screen {
        self.stack.last().expect("the view stack is never empty")
    }

    /// How many screens are stacked (1: a top-level view alone).
    pub fn stack_depth(&self) -> usize {
        self.stack.len()
    }

    fn screen_mut(&mut self) -> &mut Screen {
        self.stack
            .last_mut()
            .expect("the view stack is never empty")
    }

    /// Rows of table body that fit on screen; the ui's layout decides.
    pub fn body_rows(&self) -> usize {
        crate::ui::layout::table_body_rows(self.size.1)
    }

    pub fn set_namespace(&mut self, namespace: Option<String>) {
        self.namespace = namespace;
        self.refresh_all();
    }

    /// Replaces the whole stack with one screen, as `:pods` / `:nodes` do.
    pub fn show(&mut self, screen: Screen) {
        self.stack = vec![screen];
        self.refresh_all();
    }

    /// Filters the current screen by `text` (a name or a label selector).
    pub fn apply_filter_text(
        &mut self,
        text: &str,
    ) -> Result<(), crate::model::selector::SelectorError> {
        if let (
            Some(Screen::Doc {
                kind: DocKind::Logs,
                view,
            }),
            Some(session),
        ) = (self.stack.last_mut(), self.logs.as_mut())
        {
            // In the logs `/` is a regular expression that keeps matching lines.
            session
                .set_filter(text)
                .map_err(crate::model::selector::SelectorError)?;
            view.search = text.trim().to_string();
            self.rebuild_logs(true);
            return Ok(());
        }
        let filter = Filter::parse(text)?;
        self.screen_mut()
            .nav()
            .set_filter(filter, text.trim().to_string());
        self.follow_cursor();
        Ok(())
    }

    fn clear_filter(&mut self) {
        self.screen_mut()
            .nav()
            .set_filter(Filter::All, String::new());
        self.follow_cursor();
    }

    /// Rebuilds the rows of every screen on the stack from the cache.
    pub fn refresh_all(&mut self) {
        self.refresh(KindSet::all());
    }

    fn refresh(&mut self, changed: KindSet) {
        if changed.is_empty() {
            return;
        }
        // Documents read many kinds and are small: the one on top is rebuilt on
        // any change (the others when they come back on top).
        let mut stack = std::mem::take(&mut self.stack);
        if let Some(Screen::Doc { kind, view }) = stack.last_mut() {
            view.replace(kind.build(&self.doc_inputs()));
        }
        self.stack = stack;
        let pods_changed = changed.contains(Kind::Pod);
        // The DRAIN column reads budgets and DaemonSets too.
        let nodes_changed = [
            Kind::Pod,
            Kind::Node,
            Kind::PodDisruptionBudget,
            Kind::DaemonSet,
        ]
        .iter()
        .any(|k| changed.contains(*k));
        if !pods_changed && !nodes_changed {
            self.follow_cursor();
            return;
        }
        let pods = self.cache.stores.pods.state();
        let namespace = self.namespace.clone();
        for screen in &mut self.stack {
            match screen {
                Screen::Pods { view, node } if pods_changed => {
                    view.replace_rows(pod_rows(&pods, namespace.as_deref(), node.as_deref()));
                }
                Screen::Nodes { view, .. } if nodes_changed => {
                    let nodes = self.cache.stores.nodes.state();
                    let drain = counts_from_stores(&self.cache.stores, self.clock.now());
                    view.replace_rows(node_rows(nodes.iter(), &pods, &drain));
                }
                _ => {}
            }
        }
        self.follow_cursor();
    }

    fn follow_cursor(&mut self) {
        let height = self.body_rows();
        self.screen_mut().nav().scroll_into_view(height);
    }

    /// Applies one action; returns whether anything on screen changed.
    pub fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Tick => {
                self.rebuild_logs(true);
                // Byte counters and health move on their own.
                if let Some(Screen::Doc {
                    kind: DocKind::Forwards,
                    ..
                }) = self.stack.last()
                {
                    self.refresh_all();
                }
                true
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.follow_cursor();
                true
            }
            Action::CacheChanged(kinds) => {
                self.refresh(kinds);
                true
            }
            Action::Task(result) => {
                self.on_task_result(result);
                true
            }
            Action::Key(key) => {
                self.flash = None;
                self.on_key(key);
                true
            }
            Action::PromptInput(c) => self.edit_prompt(|p| p.input.push(c)),
            Action::PromptBackspace => self.edit_prompt(|p| {
                p.input.pop();
            }),
            Action::PromptClear => self.edit_prompt(|p| p.input.clear()),
            Action::PromptSubmit => {
                self.submit_prompt();
                true
            }
            Action::PromptCancel => {
                if matches!(self.mode, Mode::Filter(_)) {
                    self.clear_filter();
                }
                self.mode = Mode::Normal;
                true
            }
        }
    }

    fn on_key(&mut self, key: KeyAction) {
        if self.help_open {
            self.scroll_help(key);
            return;
        }
        let page = self.body_rows().max(1) as isize;
        match key {
            KeyAction::Up => self.screen_mut().nav().move_by(-1),
            KeyAction::Down => self.screen_mut().nav().move_by(1),
            KeyAction::PageUp => self.screen_mut().nav().move_by(-page),
            KeyAction::PageDown => self.screen_mut().nav().move_by(page),
            KeyAction::Top => self.screen_mut().nav().select(0),
            KeyAction::Bottom => self.screen_mut().nav().select(usize::MAX),
            KeyAction::Select => self.open_selected(),
            KeyAction::Back => self.back(),
            // A fresh prompt, as vim's `/`; the current filter stays until typing
            // replaces it.
            KeyAction::Filter => self.mode = Mode::Filter(Prompt::default()),
            KeyAction::Command => self.mode = Mode::Command(Prompt::default()),
            KeyAction::Help => {
                self.help_open = true;
                self.help_scroll = 0;
            }
            KeyAction::Quit => self.should_quit = true,
            KeyAction::SortNext | KeyAction::SortPrev | KeyAction::SortReverse => self.resort(key),
            KeyAction::Yaml => self.open_yaml(),
            KeyAction::ManagedFields => self.toggle_managed_fields(),
            KeyAction::NextMatch | KeyAction::PrevMatch => {
                if let Screen::Doc { view, .. } = self.screen_mut() {
                    view.jump_to_match(key == KeyAction::NextMatch, false);
                }
            }
            KeyAction::CopyYaml => self.copy_yaml(),
            KeyAction::CopyName => self.copy_name(),
            KeyAction::Qos => self.open_pod_doc(|target| DocKind::Qos { target }),
            KeyAction::Probes => self.open_pod_doc(|target| DocKind::Probes { target }),
            KeyAction::Rollout => self.open_rollout(None),
            KeyAction::Toggle => self.toggle(),
            KeyAction::Diff => self.diff_revisions(),
            KeyAction::Undo => self.ask_undo(),
            KeyAction::Cordon | KeyAction::Uncordon => self.ask_cordon(key == KeyAction::Cordon),
            KeyAction::Drain => self.drain_key(),
            KeyAction::Edit => self.edit_key(),
            KeyAction::Logs => self.open_logs(None),
            KeyAction::Pause
            | KeyAction::Timestamps
            | KeyAction::Wrap
            | KeyAction::Container
            | KeyAction::Previous
            | KeyAction::Save => self.logs_key(key),
            KeyAction::Shell => self.ask_shell(None, None),
            KeyAction::PortForward => self.ask_forward(),
            KeyAction::Cancel => self.cancel_drain(),
            KeyAction::Tree => {
                if let Some(target) = self.selected_object() {
                    self.push_doc(DocKind::Tree {
                        target,
                        collapsed: Default::default(),
                    });
                }
            }
            KeyAction::Events => {
                if let Some(target) = self.selected_object() {
                    self.push_doc(DocKind::Events {
                        target: Some(target),
                    });
                }
            }
        }
        self.follow_cursor();
    }

    fn scroll_help(&mut self, key: KeyAction) {
        let last = crate::ui::help::help_len(self) as u16;
        let page = self.size.1.saturating_sub(4).max(1);
        self.help_scroll = match key {
            KeyAction::Up => self.help_scroll.saturating_sub(1),
            KeyAction::Down => self.help_scroll.saturating_add(1).min(last),
            KeyAction::PageUp => self.help_scroll.saturating_sub(page),
            KeyAction::PageDown => self.help_scroll.saturating_add(page).min(last),
            KeyAction::Top => 0,
            KeyAction::Bottom => last,
            _ => {
                self.help_open = false;
                0
            }
        };
    }

    fn resort(&mut self, key: KeyAction) {
        let nav = self.screen_mut().nav();
        let Sort { column, descending } = nav.sort();
        let columns = nav.column_count();
        let sort = match key {
            KeyAction::SortNext => Sort {
                column: (column + 1) % columns,
                descending: false,
            },
            KeyAction::SortPrev => Sort {
                column: (column + columns - 1) % columns,
                descending: false,
            },
            _ => Sort {
                column,
                descending: !descending,
            },
        };
        nav.set_sort(sort);
    }

    fn open_selected(&mut self) {
        match self.screen() {
            Screen::Nodes { view, .. } => {
                let Some(row) = view.table.get(view.selected) else {
                    return;
                };
                let node = row.name().to_string();
                self.stack.push(Screen::pods(Some(node)));
                self.refresh_all();
            }
            Screen::Doc {
                kind: DocKind::Labels(_),
                ..
            } => self.ask_apply_labels(),
            Screen::Doc { view, .. } => {
                if let Some(target) = view.selected_target().cloned() {
                    self.open_object(target);
                }
            }
            Screen::Pods { .. } => {
                if let Some(target) = self.selected_object() {
                    self.push_doc(DocKind::PodDetail { target });
                }
            }
        }
    }

    /// The object under the cursor: a table row, or the line of a document that
    /// names one (else the document's own subject).
    pub fn selected_object(&self) -> Option<ObjectRef> {
        match self.screen() {
            Screen::Pods { view, .. } => view.table.get(view.selected).map(|r| {
                let (namespace, name) = r.key();
                ObjectRef::new(Kind::Pod, namespace, name)
            }),
            Screen::Nodes { view, .. } => view
                .table
                .get(view.selected)
                .map(|r| ObjectRef::new(Kind::Node, "", r.name())),
            Screen::Doc { kind, view } => view.selected_target().or(kind.subject()).cloned(),
        }
    }

    /// Enter on an object named in a document: the most telling view of its kind.
    pub fn open_object(&mut self, target: ObjectRef) {
        match target.kind {
            Kind::Node => {
                self.stack.push(Screen::pods(Some(target.name)));
                self.refresh_all();
            }
            Kind::Pod => self.push_doc(DocKind::PodDetail { target }),
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet => {
                self.push_doc(DocKind::Rollout {
                    target,
                    marked: None,
                    diff: None,
                })
            }
            Kind::ReplicaSet | Kind::Job | Kind::CronJob | Kind::Namespace => {
                self.push_doc(DocKind::Tree {
                    target,
                    collapsed: Default::default(),
                })
            }
            _ => self.push_doc(DocKind::Yaml {
                target,
                show_managed_fields: false,
                fetched: None,
            }),
        }
    }

    /// Opens a document on top of the stack.
    pub fn push_doc(&mut self, kind: DocKind) {
        let view = DocView::new(kind.build(&self.doc_inputs()));
        self.stack.push(Screen::Doc { kind, view });
    }

    fn open_yaml(&mut self) {
        if let Some(target) = self.selected_object() {
            self.open_yaml_of(target);
        }
    }

    fn open_yaml_of(&mut self, target: ObjectRef) {
        self.push_doc(DocKind::Yaml {
            target: target.clone(),
            show_managed_fields: false,
            fetched: None,
        });
        self.fetch_full(target);
    }

    /// The cache keeps objects without managedFields; a live source reads the
    /// whole object once, in the background.
    fn fetch_full(&mut self, target: ObjectRef) {
        if let Some(client) = self.client.clone() {
            self.tasks.spawn(async move {
                let result = crate::ops::fetch::fetch_object(client, &target).await;
                TaskResult::Fetched { target, result }
            });
        }
    }

    fn toggle_managed_fields(&mut self) {
        if let Screen::Doc {
            kind:
                DocKind::Yaml {
                    show_managed_fields,
                    ..
                },
            ..
        } = self.screen_mut()
        {
            *show_managed_fields = !*show_managed_fields;
            self.refresh_all();
        }
    }

    fn on_task_result(&mut self, result: TaskResult) {
        match result {
            TaskResult::Fetched { target, result } => match result {
                Ok(object) => {
                    for screen in &mut self.stack {
                        if let Screen::Doc {
                            kind:
                                DocKind::Yaml {
                                    target: shown,
                                    fetched,
                                    ..
                                },
                            ..
                        } = screen
                            && *shown == target
                        {
                            *fetched = Some(object.clone());
                        }
                    }
                    self.refresh_all();
                }
                Err(message) => {
                    self.flash = Some(Flash {
                        text: format!("cannot read {}: {message}", docs::describe(&target)),
                        is_error: true,
                    });
                }
            },
            TaskResult::Flash { text, is_error } => self.flash = Some(Flash { text, is_error }),
            TaskResult::Services { namespace, result } => {
                for screen in &mut self.stack {
                    if let Screen::Doc {
                        kind: DocKind::Labels(session),
                        ..
                    } = screen
                        && session.pod_namespace().as_deref() == Some(namespace.as_str())
                    {
                        session.services = Some(result.clone());
                    }
                }
                self.refresh_all();
            }
            TaskResult::LabelsApplied(outcomes) => self.on_labels_applied(outcomes),
            TaskResult::Log(event) => {
                if let Some(session) = &mut self.logs {
                    session.apply(event);
                }
                self.rebuild_logs(false);
            }
            TaskResult::Drain(event) => {
                if let Some(session) = &mut self.drain {
                    session.timeline.apply(&event);
                }
                if let Some(Screen::Doc {
                    kind: DocKind::DrainRun,
                    ..
                }) = self.stack.last()
                {
                    self.refresh_all();
                }
            }
        }
    }

    fn copy_yaml(&mut self) {
        let Screen::Doc {
            kind: DocKind::Yaml { .. },
            view,
        } = self.screen()
        else {
            return;
        };
        // The document minus its leading comment: exactly the YAML.
        let text: String = view
            .doc
            .lines
            .iter()
            .skip(1)
            .map(|l| format!("{}\n", l.text()))
            .collect();
        self.copy(text, "YAML");
    }

    fn copy_name(&mut self) {
        if let Some(target) = self.selected_object() {
            self.copy(target.name.clone(), &target.name);
        }
    }

    fn copy(&mut self, text: String, what: &str) {
        self.flash = Some(match self.clipboard.copy(&text) {
            Ok(how) => Flash {
                text: format!("copied {what} to the {how}"),
                is_error: false,
            },
            Err(e) => Flash {
                text: format!("cannot copy: {e}"),
                is_error: true,
            },
        });
    }

    fn back(&mut self) {
        if self.screen().nav_ref().filter().is_active() {
            self.clear_filter();
        } else if self.stack.len() > 1 {
            if let Some(Screen::Doc {
                kind: DocKind::Logs,
                ..
            }) = self.stack.pop()
                && let Some(mut session) = self.logs.take()
            {
                session.stop();
            }
            self.refresh_all();
        }
    }

    fn edit_prompt(&mut self, edit: impl FnOnce(&mut Prompt)) -> bool {
        match &mut self.mode {
            Mode::Filter(prompt) => {
                edit(prompt);
                let input = prompt.input.clone();
                // The filter follows the typing; a selector that does not parse yet
                // leaves the last good filter in place and says why.
                let error = self.apply_filter_text(&input).err().map(|e| e.to_string());
                if let Mode::Filter(prompt) = &mut self.mode {
                    prompt.error = error;
                }
                true
            }
            Mode::Command(prompt) | Mode::EditLabels(prompt) | Mode::Forward { prompt, .. } => {
                edit(prompt);
                prompt.error = None;
                true
            }
            Mode::Confirm(_) => {
                let mut typed = Prompt::default();
                edit(&mut typed);
                let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return true;
                };
                if typed.input.eq_ignore_ascii_case("y") {
                    self.run_pending(confirm.action);
                } else {
                    self.flash = Some(Flash {
                        text: "cancelled: nothing was sent".into(),
                        is_error: false,
                    });
                }
                true
            }
            Mode::Normal => false,
        }
    }

    fn submit_prompt(&mut self) {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Filter(prompt) => {
                if prompt.error.is_some() {
                    self.mode = Mode::Filter(prompt);
                }
            }
            Mode::Command(prompt) => match command::parse(&prompt.input) {
                Ok(command) => self.run_command(command),
                Err(error) => {
                    self.mode = Mode::Command(Prompt {
                        error: Some(error),
                        ..prompt
                    });
                }
            },
            Mode::Confirm(_) => {
                self.flash = Some(Flash {
                    text: "cancelled: nothing was sent".into(),
                    is_error: false,
                });
            }
            Mode::Forward { target, prompt } => {
                let words: Vec<&str> = prompt.input.split_whitespace().collect();
                let local = match words.get(1).map(|w| w.parse::<u16>()) {
                    None => Ok(None),
                    Some(Ok(port)) => Ok(Some(port)),
                    Some(Err(_)) => Err(format!("{:?} is not a local port number", words[1])),
                };
                match (words.first(), local) {
                    (Some(remote), Ok(local)) => {
                        let remote = remote.to_string();
                        self.start_forward(target, &remote, local);
                    }
                    (None, _) => {
                        self.mode = Mode::Forward {
                            target,
                            prompt: Prompt {
                                error: Some("type the remote port (number or name), then optionally a local port".into()),
                                ..prompt
                            },
                        }
                    }
                    (_, Err(error)) => {
                        self.mode = Mode::Forward {
                            target,
                            prompt: Prompt {
                                error: Some(error),
                                ..prompt
                            },
                        }
                    }
                }
            }
            Mode::EditLabels(prompt) => {
                let result = match self.stack.last_mut() {
                    Some(Screen::Doc {
                        kind: DocKind::Labels(session),
                        ..
                    }) => label_editing::parse_changes(&prompt.input, &mut session.editor),
                    _ => Ok(0),
                };
                match result {
                    Ok(_) => self.refresh_all(),
                    Err(error) => {
                        self.mode = Mode::EditLabels(Prompt {
                            error: Some(error),
                            ..prompt
                        })
                    }
                }
            }
            Mode::Normal => {}
        }
    }

    pub fn run_command(&mut self, command: Command) {
        match command {
            Command::Pods => self.show(Screen::pods(None)),
            Command::Nodes => self.show(Screen::nodes()),
            Command::Namespace(namespace) => {
                if let Some(ns) = namespace.as_deref() {
                    let known = self.cache.stores.namespaces.state();
                    if !known.is_empty()
                        && !known.iter().any(|n| n.metadata.name.as_deref() == Some(ns))
                    {
                        self.flash = Some(Flash {
                            text: format!("namespace {ns:?} is not in the cluster"),
                            is_error: true,
                        });
                    }
                }
                self.set_namespace(namespace);
            }
            Command::Help => self.help_open = true,
            Command::Quit => self.should_quit = true,
            Command::QosByNode => self.push_doc(DocKind::QosByNode),
            Command::Drain(flags) => match flags.options() {
                Ok(options) => {
                    let nodes = if flags.nodes.is_empty() {
                        self.nodes_to_operate()
                    } else {
                        flags.nodes.clone()
                    };
                    if nodes.is_empty() {
                        self.flash_error(
                            ":drain needs a node: name one, or select one in :nodes".into(),
                        );
                    } else {
                        self.drain_options = options.clone();
                        self.push_doc(DocKind::DrainPlan { nodes, options });
                    }
                }
                Err(error) => self.flash_error(format!(":drain: {error}")),
            },
            Command::Shell { pod, container } => {
                let target = match pod {
                    Some(text) => {
                        let text = if text.contains('/') {
                            text
                        } else {
                            format!("pod/{text}")
                        };
                        match targets::resolve(&self.cache.stores, &text, self.namespace.as_deref())
                        {
                            Ok(target) => Some(target),
                            Err(error) => return self.flash_error(error),
                        }
                    }
                    None => None,
                };
                self.ask_shell(target, container);
            }
            Command::PortForward(None) => self.push_doc(DocKind::Forwards),
            Command::PortForward(Some((target, remote, local))) => {
                match targets::resolve_forward_target(
                    &self.cache.stores,
                    &target,
                    self.namespace.as_deref(),
                ) {
                    Ok(target) => self.start_forward(target, &remote, local),
                    Err(error) => self.flash_error(error),
                }
            }
            Command::Logs(rest) => match log_session::parse_logs_command(&rest) {
                Ok(flags) => self.open_logs(Some(flags)),
                Err(error) => self.flash_error(format!(":logs: {error}")),
            },
            Command::Pdb(text) => match self.resolve_command_target(text) {
                Ok(pod) => self.push_doc(DocKind::Pdbs { pod }),
                Err(error) => self.flash_error(error),
            },
            Command::Tree(text) => match self.resolve_command_target(text) {
                Ok(Some(target)) => self.push_doc(DocKind::Tree {
                    target,
                    collapsed: Default::default(),
                }),
                Ok(None) => self.push_doc(DocKind::Forest {
                    collapsed: Default::default(),
                }),
                Err(error) => self.flash_error(error),
            },
            Command::Events(text) => match self.resolve_command_target(text) {
                Ok(target) => self.push_doc(DocKind::Events { target }),
                Err(error) => self.flash_error(error),
            },
            Command::Rollout(text) => match self.resolve_command_target(text) {
                Ok(target) => self.open_rollout(target),
                Err(error) => self.flash_error(error),
            },
            Command::Yaml(text) => match self.resolve_command_target(text) {
                Ok(Some(target)) => self.open_yaml_of(target),
                Ok(None) => self.open_yaml(),
                Err(error) => self.flash_error(error),
            },
        }
    }

    fn flash_error(&mut self, text: String) {
        self.flash = Some(Flash {
            text,
            is_error: true,
        });
    }

    /// `KIND/NAME` typed after a command, resolved against the cache.
    fn resolve_command_target(&self, text: Option<String>) -> Result<Option<ObjectRef>, String> {
        text.map(|t| targets::resolve(&self.cache.stores, &t, self.namespace.as_deref()))
            .transpose()
    }

    /// Opens a pod's document (QoS, probes) for the pod under the cursor.
    fn open_pod_doc(&mut self, make: impl FnOnce(ObjectRef) -> DocKind) {
        match self.selected_object() {
            Some(target) if target.kind == Kind::Pod => self.push_doc(make(target)),
            _ => self.flash_error("select a pod first".into()),
        }
    }

    fn toggle(&mut self) {
        if let Some(Screen::Doc {
            kind: DocKind::Labels(session),
            ..
        }) = self.stack.last()
        {
            if !session.editor.edit.changes.is_empty() {
                self.flash_error("apply or discard (esc) the changes first".into());
                return;
            }
            let switched = session.switch_field(&self.cache.stores);
            if let (
                Some(next),
                Some(Screen::Doc {
                    kind: DocKind::Labels(session),
                    ..
                }),
            ) = (switched, self.stack.last_mut())
            {
                **session = next;
            }
            self.refresh_all();
            return;
        }
        if let Screen::Nodes { view, marked } = self.screen_mut() {
            if let Some(row) = view.table.get(view.selected) {
                let name = row.name().to_string();
                if !marked.remove(&name) {
                    marked.insert(name);
                }
                view.move_by(1);
            }
            return;
        }
        if self.toggle_tree_line() {
            return;
        }
        let revision = self.revision_under_cursor();
        if let Screen::Doc {
            kind: DocKind::Rollout { marked, .. },
            ..
        } = self.screen_mut()
        {
            *marked = if *marked == revision { None } else { revision };
            let text = match *marked {
                Some(r) => {
                    format!("revision {r} marked: d diffs it against the revision under the cursor")
                }
                None => "no revision marked".into(),
            };
            self.flash = Some(Flash {
                text,
                is_error: false,
            });
        }
    }

    fn run_pending(&mut self, action: Pending) {
        let Some(client) = self.client.clone() else {
            self.flash_error("not connected to a cluster".into());
            return;
        };
        let readonly = self.readonly;
        match action {
            Pending::Cordon { nodes, on } => {
                let gate = crate::ops::WriteGate::new(readonly);
                self.tasks.spawn(async move {
                    cordon_result(
                        crate::ops::cordon::set_unschedulable(&client, &gate, &nodes, on).await,
                        on,
                    )
                });
            }
            Pending::Drain { nodes, options } => self.start_drain(client, nodes, options),
            Pending::Labels { targets, edit } => {
                let gate = crate::ops::WriteGate::new(readonly);
                let field = edit.field;
                self.tasks.spawn(async move {
                    labels_result(
                        crate::ops::labels::apply_many(&client, &gate, &targets, &edit).await,
                        field,
                    )
                });
            }
            Pending::Undo { target, revision } => {
                let kind = match target.kind {
                    Kind::Deployment => crate::ops::rollout_undo::UndoKind::Deployment,
                    Kind::StatefulSet => crate::ops::rollout_undo::UndoKind::StatefulSet,
                    Kind::DaemonSet => crate::ops::rollout_undo::UndoKind::DaemonSet,
                    _ => return,
                };
                self.flash = Some(Flash {
                    text: format!(
                        "rolling {} back to revision {revision}…",
                        docs::describe(&target)
                    ),
                    is_error: false,
                });
                self.tasks.spawn(async move {
                    let outcome = crate::ops::rollout_undo::undo(
                        &client,
                        readonly,
                        kind,
                        &target.namespace,
                        &target.name,
                        revision,
                    )
                    .await;
                    let name = docs::describe(&target);
                    match outcome {
                        Ok(crate::ops::rollout_undo::UndoOutcome::RolledBack(_)) => {
                            TaskResult::Flash {
                                text: format!("{name} rolled back to revision {revision}"),
                                is_error: false,
                            }
                        }
                        Ok(crate::ops::rollout_undo::UndoOutcome::Skipped(message)) => {
                            TaskResult::Flash {
                                text: format!("{name}: {message}"),
                                is_error: false,
                            }
                        }
                        Err(e) => TaskResult::Flash {
                            text: format!("{name}: {e}"),
                            is_error: true,
                        },
                    }
                });
            }
        }
    }

    /// Collapses or expands the tree line under the cursor; false when the screen
    /// is not a tree.
    fn toggle_tree_line(&mut self) -> bool {
        let mut stack = std::mem::take(&mut self.stack);
        let toggled = self.toggle_tree_line_in(&mut stack);
        self.stack = stack;
        toggled
    }

    fn toggle_tree_line_in(&self, stack: &mut [Screen]) -> bool {
        let inputs = self.doc_inputs();
        let Some(Screen::Doc { kind, view }) = stack.last_mut() else {
            return false;
        };
        let Some(tree) = kind.owner_tree(&inputs) else {
            return false;
        };
        let Some(uid) = tree.toggle_uid(view.selected).map(str::to_string) else {
            return true;
        };
        if let DocKind::Tree { collapsed, .. } | DocKind::Forest { collapsed } = kind
            && !collapsed.remove(&uid)
        {
            collapsed.insert(uid);
        }
        let selected = view.selected;
        view.replace(kind.build(&inputs));
        // The toggled line stays where it was; only what is under it changes.
        view.selected = selected.min(view.doc.lines.len().saturating_sub(1));
        true
    }

    /// What documents are built from.
    fn doc_inputs(&self) -> DocInputs<'_> {
        DocInputs {
            stores: &self.cache.stores,
            now: self.clock.now(),
            namespace: self.namespace.as_deref(),
            from_files: self.client.is_none(),
            drain: self.drain.as_ref().map(|d| &d.timeline),
            logs: self.logs.as_ref(),
            forwards: Some(&self.forwards),
        }
    }

    /// Refuses a write up front when it cannot be sent at all.
    fn may_write(&mut self) -> bool {
        if self.readonly {
            self.flash_error(crate::ops::READONLY_REFUSAL.to_string());
            false
        } else if self.client.is_none() {
            self.flash_error("a snapshot cannot be changed: connect to a cluster".into());
            false
        } else {
            true
        }
    }
}
