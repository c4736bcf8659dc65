//! The app's state: what is on screen, the mode, the pending write, and the
//! handles (cache, clock, tasks) the update functions read.

use super::docs::DocInputs;
use super::tasks::{TaskResult, Tasks};
use super::views::Screen;
use crate::cache::{Cache, KindSet};
use crate::clock::Clock;
use crate::config::keymap::{KeyAction, Keymap};
use crate::config::theme::Theme;
use crate::model::doc::ObjectRef;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyAction),
    PromptInput(char),
    PromptBackspace,
    PromptClear,
    /// Tab: the next choice the prompt offers.
    PromptComplete,
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
    /// Which container of `target` a shell opens in, prefilled with kubectl's
    /// default; Tab goes through `choices`.
    Shell {
        target: ObjectRef,
        choices: Vec<crate::model::containers::NamedContainer>,
        prompt: Prompt,
    },
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
    pub drain: Option<super::drain_session::DrainSession>,
    /// The port-forwards started from this app.
    pub forwards: crate::ops::portforward::Forwards,
    /// A shell the UI loop should run with the terminal handed over.
    pub pending_exec: Option<ExecRequest>,
    /// The logs on screen (streams stop when their view is left).
    pub logs: Option<super::log_session::LogSession>,
    /// `config.yaml`: log buffer bounds, shells.
    pub settings: crate::config::settings::Settings,
    /// The options `D` plans with: the last ones `:drain` was given.
    pub drain_options: crate::model::drain::DrainOptions,
    /// When the document on top was last rebuilt for the clock's sake.
    pub doc_tick: super::doc_tick::DocTick,
    /// Documents wrap long lines (`W` scrolls them sideways instead).
    pub doc_wrap: bool,
    /// The resources the cluster serves (built-in kinds until discovery
    /// answers), for `:NAME`.
    pub catalog: crate::model::api_catalog::Catalog,
    /// The table of the kind opened with `:NAME`, if any.
    pub generic: Option<super::generic::GenericSession>,
    /// Numbers generic sessions, so a stopped stream's late events are ignored.
    pub generic_sessions: u64,
    /// When the generic table's rows were last rebuilt.
    pub generic_built: Option<std::time::Instant>,
    /// A `:NAME` waiting for discovery to say whether the server serves it.
    pub pending_resource: Option<String>,
    /// Discovery asked again for a name not known yet.
    pub rediscovering: bool,
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
            doc_tick: Default::default(),
            doc_wrap: true,
            catalog: crate::model::api_catalog::Catalog::builtin(),
            generic: None,
            generic_sessions: 0,
            generic_built: None,
            pending_resource: None,
            rediscovering: false,
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

    pub(super) fn screen_mut(&mut self) -> &mut Screen {
        self.stack
            .last_mut()
            .expect("the view stack is never empty")
    }

    /// Rows of table body that fit on screen; the ui's layout decides.
    /// Rows of content the screen on top shows: a table's rows below its
    /// column titles, or a document's lines.
    pub fn body_rows(&self) -> usize {
        let (width, height) = self.size;
        let footer = crate::ui::chrome::footer_rows(self, width, height);
        match self.screen() {
            super::views::Screen::Doc { .. } => crate::ui::layout::doc_body_rows(height, footer),
            _ => crate::ui::layout::table_body_rows_with(height, footer),
        }
    }

    /// Whether the document on top wraps its lines: the logs by their own
    /// toggle, every other document by the app's.
    pub fn wraps(&self, kind: &super::docs::DocKind) -> bool {
        match kind {
            super::docs::DocKind::Logs => self.logs.as_ref().is_some_and(|l| l.options.wrap),
            _ => self.doc_wrap,
        }
    }

    /// The columns a document's text gets: inside the borders, less the margin.
    pub fn doc_text_width(&self) -> usize {
        usize::from(self.size.0.saturating_sub(3))
    }

    pub fn set_namespace(&mut self, namespace: Option<String>) {
        self.namespace = namespace;
        if let Some(session) = self.generic.as_mut() {
            session.mark_dirty();
        }
        self.rebuild_generic(true);
        self.refresh_all();
    }

    /// Replaces the whole stack with one screen, as `:pods` / `:nodes` do.
    pub fn show(&mut self, screen: Screen) {
        self.stack = vec![screen];
        self.refresh_all();
    }

    /// What documents are built from.
    pub(super) fn doc_inputs(&self) -> DocInputs<'_> {
        DocInputs {
            stores: &self.cache.stores,
            now: self.clock.now(),
            namespace: self.namespace.as_deref(),
            from_files: self.client.is_none(),
            drain: self.drain.as_ref().map(|d| &d.timeline),
            logs: self.logs.as_ref(),
            forwards: Some(&self.forwards),
            catalog: &self.catalog,
        }
    }

    /// Refuses a write up front when it cannot be sent at all.
    pub(super) fn may_write(&mut self) -> bool {
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
