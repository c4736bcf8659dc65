//! Controllers that make the simulated cluster live: the node lifecycle
//! controller's cordon taint, a scheduler, a kubelet per Ready node, the ReplicaSet, Deployment and disruption controllers, in the
//! order a pass runs them. They read and write objects only through the
//! simulator, so watchers see every change as ADDED/MODIFIED/DELETED.
//!
//! Determinism: all time comes from the `now` of a pass (never the wall clock),
//! and all randomness from a SplitMix64 seeded, for each pass, from the caller's
//! seed, the store's resourceVersion and `now`. The same seed and the same
//! sequence of passes and writes therefore produce the same names and states,
//! without any state kept between passes: everything a controller needs to
//! remember (backoffs, the last scheduling failure) is in the objects, as it is
//! in a real cluster.

mod deployment;
mod disruption;
mod events;
mod fields;
mod kubelet;
mod node_lifecycle;
mod replicaset;
mod rng;
mod scheduler;

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use super::Simulator;
use super::object::splitmix64;
use super::resources::{self, Resource};
use rng::SplitMix64;

/// The seed [`Simulator::reconcile`] uses.
pub const DEFAULT_SEED: u64 = 0x6b75_6265_7369_6768;

/// One reconcile pass: the simulator, the instant, the pass's RNG.
pub struct Pass<'a> {
    pub sim: &'a Simulator,
    pub now: Timestamp,
    rng: SplitMix64,
}

impl<'a> Pass<'a> {
    fn new(sim: &'a Simulator, now: Timestamp, seed: u64) -> Pass<'a> {
        let mixed = seed
            ^ splitmix64(sim.resource_version())
            ^ splitmix64(now.as_nanosecond() as u64).rotate_left(17);
        Pass {
            sim,
            now,
            rng: SplitMix64::new(mixed),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    pub fn name_suffix(&mut self) -> String {
        self.rng.name_suffix()
    }

    pub fn list(&self, resource: &str) -> Vec<Value> {
        self.sim.list(resource, None)
    }

    /// Rewrites the stored object with `change`, atomically and only if it
    /// still exists (a controller must never resurrect a deleted object).
    /// Returns the stored result, with `kind`/`apiVersion`.
    pub fn update(
        &self,
        resource: &str,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Value),
    ) -> Option<Value> {
        let resource = lookup(resource)?;
        let outcome = self
            .sim
            .store()
            .modify(resource, namespace, name, |current| {
                let mut next = current.clone();
                change(&mut next);
                Ok::<Value, ()>(next)
            });
        match outcome {
            Ok(stored) => stored,
            Err(_) => {
                tracing::warn!("simulator controllers: cannot update {namespace}/{name}");
                None
            }
        }
    }
}

fn lookup(resource: &str) -> Option<&'static Resource> {
    resources::lookup(resource)
}

/// One pass of every controller, in a fixed order, then the kubelets'
/// confirmation of finished graceful deletions.
pub fn reconcile(sim: &Simulator, now: Timestamp, seed: u64) {
    let mut pass = Pass::new(sim, now, seed);
    node_lifecycle::run(&mut pass);
    scheduler::run(&mut pass);
    kubelet::run(&mut pass);
    replicaset::run(&mut pass);
    deployment::run(&mut pass);
    disruption::run(&mut pass);
    sim.finalize_deletions(now);
}

/// Controllers running in the background; dropping the handle stops them.
pub struct ControllersHandle {
    task: tokio::task::JoinHandle<()>,
}

impl ControllersHandle {
    pub fn start(sim: Arc<Simulator>, seed: u64, period: Duration) -> ControllersHandle {
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period.max(Duration::from_millis(1)));
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                reconcile(&sim, sim.config().clock.now(), seed);
            }
        });
        ControllersHandle { task }
    }

    /// Stops the controllers (as dropping the handle does).
    pub fn stop(self) {}
}

impl Drop for ControllersHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}
