//! Node operations: cordon and uncordon, the drain plan, starting and
//! cancelling a drain.

use crate::app::docs::DocKind;
use crate::app::tasks::TaskResult;
use crate::app::views::Screen;
use crate::app::*;
use crate::cache::Kind;

impl App {
    /// The nodes an operation applies to: the marked ones, else the one under the
    /// cursor (a node row, or a line naming a node).
    pub(in crate::app) fn nodes_to_operate(&self) -> Vec<String> {
        if let Screen::Nodes { marked, .. } = self.screen()
            && !marked.is_empty()
        {
            return marked.iter().cloned().collect();
        }
        match self.selected_object() {
            Some(target) if target.kind == Kind::Node => vec![target.name],
            _ => Vec::new(),
        }
    }

    pub(in crate::app) fn ask_cordon(&mut self, on: bool) {
        let nodes = self.nodes_to_operate();
        if nodes.is_empty() {
            self.flash_error("select or mark a node first (:nodes, space marks)".into());
            return;
        }
        if !self.may_write() {
            return;
        }
        self.mode = Mode::Confirm(Confirm {
            question: format!(
                "{} {}?",
                if on { "cordon" } else { "uncordon" },
                nodes.join(", ")
            ),
            action: Pending::Cordon { nodes, on },
        });
    }

    /// `D`: on nodes, the plan for them; on a plan, start it (after asking).
    /// On a node the running drain is draining (or its plan), the drain's live
    /// timeline instead.
    pub(in crate::app) fn drain_key(&mut self) {
        let planned = match self.screen() {
            Screen::Doc {
                kind: DocKind::DrainPlan { nodes, options },
                ..
            } => Some((nodes.clone(), options.clone())),
            _ => None,
        };
        let nodes = match &planned {
            Some((nodes, _)) => nodes.clone(),
            None => self.nodes_to_operate(),
        };
        if self.running_drain_covers(&nodes) {
            self.show_drain_run();
            return;
        }
        if let Some((nodes, options)) = planned {
            self.ask_drain(nodes, options);
            return;
        }
        if nodes.is_empty() {
            self.flash_error("select or mark a node first (:nodes, space marks)".into());
            return;
        }
        let options = self.drain_options.clone();
        self.push_doc(DocKind::DrainPlan { nodes, options });
    }

    /// Whether the drain started from this app is running and drains one of
    /// `nodes`.
    fn running_drain_covers(&self, nodes: &[String]) -> bool {
        self.drain
            .as_ref()
            .is_some_and(|d| d.is_running() && nodes.iter().any(|n| d.nodes.contains(n)))
    }

    /// The drain's timeline on top (once in the stack, wherever it was).
    pub(in crate::app) fn show_drain_run(&mut self) {
        self.stack.retain(|s| {
            !matches!(
                s,
                Screen::Doc {
                    kind: DocKind::DrainRun,
                    ..
                }
            )
        });
        self.push_doc(DocKind::DrainRun);
    }

    pub(in crate::app) fn ask_drain(
        &mut self,
        nodes: Vec<String>,
        options: crate::model::drain::DrainOptions,
    ) {
        use crate::model::drain::DryRun;
        if options.dry_run == DryRun::Client {
            self.flash_error("--dry-run=client only plans: this plan is the whole answer".into());
            return;
        }
        if let Some(running) = self.drain.as_ref().filter(|d| d.is_running()) {
            let text = format!(
                "a drain of {} is already running (:drain shows it, X cancels it)",
                running.nodes.join(", ")
            );
            self.flash_error(text);
            return;
        }
        if !self.may_write() {
            return;
        }
        let plan = crate::model::drain::plan_from_stores(
            &self.cache.stores,
            &nodes,
            &options,
            self.clock.now(),
        );
        if let Some(refusal) = drain_session::start_refusal(&plan) {
            self.flash_error(refusal);
            return;
        }
        let what = if options.dry_run == DryRun::Server {
            "dry-run (server) drain"
        } else {
            "drain"
        };
        self.mode = Mode::Confirm(Confirm {
            question: format!(
                "{what} {}: cordon, then remove {} pods{}?",
                nodes.join(", "),
                plan.summary.evict + plan.summary.blocked,
                if options.disable_eviction {
                    " by DELETE, bypassing PodDisruptionBudgets"
                } else {
                    ""
                }
            ),
            action: Pending::Drain { nodes, options },
        });
    }

    pub(in crate::app) fn start_drain(
        &mut self,
        client: kube::Client,
        nodes: Vec<String>,
        options: crate::model::drain::DrainOptions,
    ) {
        let plan = crate::model::drain::plan_from_stores(
            &self.cache.stores,
            &nodes,
            &options,
            self.clock.now(),
        );
        let job = drain_session::job_from_plan(&plan, &self.cache.stores, &options);
        let gate = crate::ops::WriteGate::new(self.readonly);
        if tokio::runtime::Handle::try_current().is_err() {
            self.flash_error("cannot start a drain without a runtime".into());
            return;
        }
        match crate::ops::drain::start(client, gate, self.clock.clone(), job) {
            Ok((handle, events)) => {
                self.tasks.forward(events, TaskResult::Drain);
                self.drain = Some(drain_session::DrainSession {
                    nodes,
                    timeline: Default::default(),
                    handle: Some(handle),
                });
                self.push_doc(DocKind::DrainRun);
            }
            Err(refused) => self.flash_error(refused.to_string()),
        }
    }

    pub(in crate::app) fn cancel_drain(&mut self) {
        if let Some(Screen::Doc {
            kind: DocKind::Forwards,
            view,
        }) = self.stack.last()
        {
            // Row i of the forward list is line i + 1 (after the header).
            let row = view.selected.checked_sub(1);
            let forwards = self.forwards.snapshot();
            match row.and_then(|r| forwards.get(r)) {
                Some(forward) => {
                    self.forwards.stop(forward.id);
                    self.flash = Some(Flash {
                        text: format!("stopped the forward from 127.0.0.1:{}", forward.local_port),
                        is_error: false,
                    });
                    self.refresh_all();
                }
                None => self.flash_error("move the cursor to a forward to stop it".into()),
            }
            return;
        }
        match &self.drain {
            Some(drain_session::DrainSession {
                handle: Some(handle),
                nodes,
                ..
            }) if !handle.is_finished() => {
                handle.cancel();
                self.flash = Some(Flash {
                    text: format!(
                        "cancelling the drain of {}: the nodes stay cordoned",
                        nodes.join(", ")
                    ),
                    is_error: false,
                });
            }
            _ => self.flash_error("no drain is running".into()),
        }
    }
}

/// The footer message for a cordon or uncordon of several nodes.
pub(in crate::app) fn cordon_result(
    result: Result<Vec<crate::ops::cordon::NodeResult>, crate::ops::Refused>,
    on: bool,
) -> TaskResult {
    use crate::ops::cordon::CordonOutcome;
    let verb = if on { "cordoned" } else { "uncordoned" };
    match result {
        Err(refused) => TaskResult::Flash {
            text: refused.to_string(),
            is_error: true,
        },
        Ok(results) => {
            let mut failed = false;
            let parts: Vec<String> = results
                .iter()
                .map(|r| match &r.outcome {
                    CordonOutcome::Changed => format!("node/{} {verb}", r.node),
                    CordonOutcome::Unchanged => format!("node/{} already {verb}", r.node),
                    CordonOutcome::Failed(message) => {
                        failed = true;
                        format!("node/{}: {message}", r.node)
                    }
                })
                .collect();
            TaskResult::Flash {
                text: parts.join("; "),
                is_error: failed,
            }
        }
    }
}
