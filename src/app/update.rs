//! `update`: an [`Action`] (a key, a cache change, a tick, a finished task)
//! changes the state and says whether the screen must be redrawn.

use super::docs::DocKind;
use super::tasks::TaskResult;
use super::views::{Navigable, Screen};
use super::*;
use crate::cache::{Kind, KindSet};
use crate::config::keymap::KeyAction;
use crate::model::drain::counts_from_stores;
use crate::model::filter::Filter;
use crate::model::node_rows::node_rows;
use crate::model::pod_rows::pod_rows;
use crate::model::table::Sort;
use crate::model::table::TableRow;

impl App {
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

    /// The document on top again, for its relative times, countdowns and
    /// byte counters, which move without any change in the cache.
    fn rebuild_doc_for_clock(&mut self) {
        let now = std::time::Instant::now();
        let due = matches!(self.stack.last(), Some(Screen::Doc { kind, .. }) if kind.moves_with_clock())
            && self.doc_tick.due(now);
        if !due {
            return;
        }
        let mut stack = std::mem::take(&mut self.stack);
        if let Some(Screen::Doc { kind, view }) = stack.last_mut() {
            view.replace(kind.build(&self.doc_inputs()));
        }
        self.stack = stack;
        self.doc_tick
            .record(std::time::Instant::now(), now.elapsed());
    }

    pub(super) fn clear_filter(&mut self) {
        self.screen_mut()
            .nav()
            .set_filter(Filter::All, String::new());
        self.follow_cursor();
    }

    /// Rebuilds the rows of every screen on the stack from the cache.
    pub fn refresh_all(&mut self) {
        self.refresh(KindSet::all());
    }

    pub(super) fn refresh(&mut self, changed: KindSet) {
        if changed.is_empty() {
            return;
        }
        if changed.contains(Kind::Pod)
            && let Some(drain) = self.drain.as_mut()
        {
            drain.settle(&self.cache.stores, self.clock.now());
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

    pub(super) fn follow_cursor(&mut self) {
        let height = self.body_rows();
        self.sync_wrap_width();
        self.screen_mut().nav().scroll_into_view(height);
    }

    /// Tells the document on top the width it wraps at, so scrolling counts
    /// the rows its lines take.
    pub(super) fn sync_wrap_width(&mut self) {
        let width = self.doc_text_width();
        let wraps = match self.stack.last() {
            Some(Screen::Doc { kind, .. }) => self.wraps(kind),
            _ => return,
        };
        if let Some(Screen::Doc { view, .. }) = self.stack.last_mut() {
            view.wrap_width = wraps.then_some(width);
        }
    }

    /// `W` outside the logs: wrap documents' long lines, or scroll them sideways.
    fn toggle_doc_wrap(&mut self) {
        self.doc_wrap = !self.doc_wrap;
        for screen in &mut self.stack {
            if let Screen::Doc { view, .. } = screen {
                view.column = 0;
            }
        }
        self.flash = Some(Flash {
            text: if self.doc_wrap {
                "long lines wrap (W scrolls them sideways instead)".into()
            } else {
                "long lines scroll sideways with ← → (W wraps them)".into()
            },
            is_error: false,
        });
    }

    /// ← →: documents that do not wrap scroll sideways, 8 columns a step.
    fn scroll_sideways(&mut self, right: bool) {
        let wraps = match self.stack.last() {
            Some(Screen::Doc { kind, .. }) => self.wraps(kind),
            _ => return,
        };
        if let Some(Screen::Doc { view, .. }) = self.stack.last_mut()
            && !wraps
        {
            view.column = if right {
                view.column.saturating_add(8)
            } else {
                view.column.saturating_sub(8)
            };
        }
    }

    /// Applies one action; returns whether anything on screen changed.
    pub fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Tick => {
                self.rebuild_logs(true);
                self.rebuild_generic(false);
                self.rebuild_doc_for_clock();
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
            Action::PromptComplete => self.complete_prompt(),
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

    pub(super) fn on_key(&mut self, key: KeyAction) {
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
            KeyAction::Yaml if self.selected_object().is_none() => {
                self.open_generic_object(super::docs::ObjectView::Yaml)
            }
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
            // `d` describes a row of any kind; in a rollout it diffs.
            KeyAction::Diff if matches!(self.screen(), Screen::Resources { .. }) => {
                self.open_generic_object(super::docs::ObjectView::Describe)
            }
            KeyAction::Diff => self.diff_revisions(),
            KeyAction::Undo => self.ask_undo(),
            KeyAction::Cordon | KeyAction::Uncordon => self.ask_cordon(key == KeyAction::Cordon),
            KeyAction::Drain => self.drain_key(),
            KeyAction::Edit => self.edit_key(),
            KeyAction::Logs => self.open_logs(None),
            KeyAction::Wrap if !self.on_logs() => self.toggle_doc_wrap(),
            KeyAction::Wide => self.toggle_wide(),
            KeyAction::Decode => self.open_generic_object(super::docs::ObjectView::Decoded),
            KeyAction::ScrollLeft | KeyAction::ScrollRight => {
                self.scroll_sideways(key == KeyAction::ScrollRight)
            }
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

    pub(super) fn scroll_help(&mut self, key: KeyAction) {
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

    pub(super) fn resort(&mut self, key: KeyAction) {
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

    pub(super) fn on_task_result(&mut self, result: TaskResult) {
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
                                }
                                | DocKind::PodDetail {
                                    target: shown,
                                    fetched,
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
            TaskResult::Connected(super::tasks::Connected(client)) => {
                if client.is_some() {
                    self.client = client;
                    self.start_discovery();
                }
            }
            TaskResult::Discovered(Ok(resources)) => {
                for resource in resources {
                    self.catalog.add(resource);
                }
                self.after_discovery();
                self.refresh_all();
            }
            TaskResult::Discovered(Err(message)) => {
                tracing::warn!(%message, "discovery failed: built-in kinds only");
                self.after_discovery();
            }
            TaskResult::Table(id, event) => self.on_table_event(id, event),
            TaskResult::FetchedPath { path, result } => self.on_fetched_path(&path, result),
            TaskResult::Found { resource, result } => self.on_found(*resource, result),
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

    pub(super) fn back(&mut self) {
        if let (
            Some(Screen::Doc {
                kind: DocKind::Logs,
                view,
            }),
            Some(session),
        ) = (self.stack.last_mut(), self.logs.as_mut())
            && session.options.filter.is_some()
        {
            // Esc in filtered logs clears the filter first, as in a table.
            view.search.clear();
            session.options.filter = None;
            session.mark_dirty();
            self.rebuild_logs(true);
        } else if self.screen().nav_ref().filter().is_active() {
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

    pub(super) fn toggle(&mut self) {
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

    /// Collapses or expands the tree line under the cursor; false when the screen
    /// is not a tree.
    pub(super) fn toggle_tree_line(&mut self) -> bool {
        let mut stack = std::mem::take(&mut self.stack);
        let toggled = self.toggle_tree_line_in(&mut stack);
        self.stack = stack;
        toggled
    }

    pub(super) fn toggle_tree_line_in(&self, stack: &mut [Screen]) -> bool {
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
}
