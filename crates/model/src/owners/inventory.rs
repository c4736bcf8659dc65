//! The objects the ownership tree draws, one [`Entry`] per object of any cached
//! kind, with the READY and STATUS cells kubectl's printers would show.

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Namespace, Node};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::cluster::{Kind, Objects, Stores};
use crate::doc::{Cell, ObjectRef};
use crate::pod::{Health, summarize};
use crate::table::Tone;

/// One cached object as the tree sees it: identity, owners and its summary cells.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its kind.
    pub kind: Kind,
    /// "" when cluster-scoped.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Empty when the object has none (hand-written snapshots).
    pub uid: String,
    /// Its ownerReferences, as declared.
    pub owners: Vec<OwnerReference>,
    /// Its creationTimestamp, for AGE.
    pub created: Option<Timestamp>,
    /// kubectl's READY (ready/desired; COMPLETIONS for Jobs), or empty.
    pub ready: Cell,
    /// kubectl's STATUS for pods, jobs and nodes; a short state for other kinds.
    pub status: Cell,
}

impl Entry {
    /// The link to this object.
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef::new(self.kind, self.namespace.clone(), self.name.clone())
    }
}

/// A kind the ownership tree can hold.
pub trait Tracked {
    /// Which cached kind this is.
    const KIND: Kind;
    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;
    /// READY and STATUS cells.
    fn cells(&self) -> (Cell, Cell);
}

/// Every object the tree may draw, collected from the cache or from test slices.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub(super) entries: Vec<Entry>,
}

impl Inventory {
    /// Adds one object.
    pub fn add<K: Tracked>(&mut self, object: &K) {
        let meta = object.meta();
        let (ready, status) = object.cells();
        self.entries.push(Entry {
            kind: K::KIND,
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            owners: meta.owner_references.clone().unwrap_or_default(),
            created: meta.creation_timestamp.as_ref().map(|t| t.0),
            ready,
            status,
        });
    }

    /// Adds every object of a slice or iterator.
    pub fn extend<'a, K: Tracked + 'a>(&mut self, objects: impl IntoIterator<Item = &'a K>) {
        for object in objects {
            self.add(object);
        }
    }

    /// Every kind of loaded objects (a snapshot, the demo).
    pub fn from_objects(objects: &Objects) -> Inventory {
        let mut inventory = Inventory::default();
        let pods: Vec<Pod> = objects.pods.iter().map(Pod::from).collect();
        inventory.extend(&pods);
        inventory.extend(&objects.nodes);
        inventory.extend(&objects.namespaces);
        inventory.extend(&objects.deployments);
        inventory.extend(&objects.replica_sets);
        inventory.extend(&objects.stateful_sets);
        inventory.extend(&objects.daemon_sets);
        inventory.extend(&objects.jobs);
        inventory.extend(&objects.cron_jobs);
        inventory.extend(&objects.pod_disruption_budgets);
        inventory.extend(owning_events(&objects.events));
        inventory.extend(&objects.controller_revisions);
        inventory
    }

    /// Every kind in the cache. Events enter only when they declare owners, which
    /// real events never do; the other thousands would only cost time.
    pub fn from_stores(stores: &Stores) -> Inventory {
        fn all<K: Tracked>(inventory: &mut Inventory, store: &crate::cluster::Store<K>) {
            for object in store.state() {
                inventory.add(object.as_ref());
            }
        }
        let mut inventory = Inventory::default();
        all(&mut inventory, &stores.pods);
        all(&mut inventory, &stores.nodes);
        all(&mut inventory, &stores.namespaces);
        all(&mut inventory, &stores.deployments);
        all(&mut inventory, &stores.replica_sets);
        all(&mut inventory, &stores.stateful_sets);
        all(&mut inventory, &stores.daemon_sets);
        all(&mut inventory, &stores.jobs);
        all(&mut inventory, &stores.cron_jobs);
        all(&mut inventory, &stores.pod_disruption_budgets);
        all(&mut inventory, &stores.controller_revisions);
        let events = stores.events.state();
        inventory.extend(owning_events(events.iter().map(|e| e.as_ref())));
        inventory
    }

    /// The first object with this kind, namespace and name.
    pub fn find(&self, target: &ObjectRef) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.kind == target.kind && e.namespace == target.namespace && e.name == target.name
        })
    }

    /// The owner a reference held by an object in `namespace` resolves to, by the
    /// garbage collector's rule (see the module comment).
    pub fn resolve(&self, namespace: &str, reference: &OwnerReference) -> Option<&Entry> {
        let kind = cached_kind(&reference.api_version, &reference.kind)?;
        let namespace = if is_namespaced(kind) { namespace } else { "" };
        self.entries.iter().find(|e| {
            e.kind == kind
                && e.uid == reference.uid
                && e.name == reference.name
                && e.namespace == namespace
        })
    }
}

fn owning_events<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> impl Iterator<Item = &'a Event> {
    events.into_iter().filter(|e| {
        e.metadata
            .owner_references
            .as_ref()
            .is_some_and(|o| !o.is_empty())
    })
}

/// The cached kind an owner reference names, matching on the API group (the
/// version an old reference was written with does not matter).
pub fn cached_kind(api_version: &str, kind: &str) -> Option<Kind> {
    let group = |v: &str| v.rsplit_once('/').map_or("", |(g, _)| g).to_string();
    let wanted = group(api_version);
    Kind::ALL
        .iter()
        .copied()
        .find(|k| k.name() == kind && group(k.api_version()) == wanted)
}

pub(super) fn is_namespaced(kind: Kind) -> bool {
    !matches!(kind, Kind::Node | Kind::Namespace)
}
fn good_if(ok: bool) -> Tone {
    if ok { Tone::Good } else { Tone::Warning }
}

fn ready_of(ready: i32, desired: i32) -> Cell {
    (format!("{ready}/{desired}"), good_if(ready >= desired))
}

fn none() -> Cell {
    (String::new(), Tone::Normal)
}

impl Tracked for Pod {
    const KIND: Kind = Kind::Pod;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        let summary = summarize(self);
        let tone = match summary.health() {
            Health::Healthy => Tone::Good,
            Health::Progressing => Tone::Progressing,
            Health::Done => Tone::Muted,
            Health::Failing => Tone::Bad,
        };
        let ready_tone = if summary.ready == summary.total {
            Tone::Good
        } else {
            tone
        };
        (
            (format!("{}/{}", summary.ready, summary.total), ready_tone),
            (summary.status, tone),
        )
    }
}

impl Tracked for Deployment {
    const KIND: Kind = Kind::Deployment;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    // kubectl printDeployment: READY is readyReplicas/spec.replicas (defaulted to 1).
    fn cells(&self) -> (Cell, Cell) {
        let desired = self.spec.replicas.unwrap_or(1);
        let ready = self
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        (ready_of(ready, desired), none())
    }
}

impl Tracked for ReplicaSet {
    const KIND: Kind = Kind::ReplicaSet;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    // kubectl printReplicaSet prints DESIRED and READY; shown as READY's ready/desired.
    fn cells(&self) -> (Cell, Cell) {
        let desired = self.spec.replicas.unwrap_or(1);
        let ready = self
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        (ready_of(ready, desired), none())
    }
}

impl Tracked for StatefulSet {
    const KIND: Kind = Kind::StatefulSet;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    // kubectl printStatefulSet: readyReplicas/spec.replicas.
    fn cells(&self) -> (Cell, Cell) {
        let desired = self.spec.replicas.unwrap_or(1);
        let ready = self
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        (ready_of(ready, desired), none())
    }
}

impl Tracked for DaemonSet {
    const KIND: Kind = Kind::DaemonSet;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    // kubectl printDaemonSet: numberReady of desiredNumberScheduled.
    fn cells(&self) -> (Cell, Cell) {
        let status = self.status.as_ref();
        let desired = status.map_or(0, |s| s.desired_number_scheduled);
        let ready = status.map_or(0, |s| s.number_ready);
        (ready_of(ready, desired), none())
    }
}

impl Tracked for Job {
    const KIND: Kind = Kind::Job;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    // kubectl printJob: COMPLETIONS and STATUS, in its order of precedence.
    fn cells(&self) -> (Cell, Cell) {
        let spec = self.spec.as_ref();
        let status = self.status.as_ref();
        let succeeded = status.and_then(|s| s.succeeded).unwrap_or(0);
        let completions = match spec.and_then(|s| s.completions) {
            Some(c) => format!("{succeeded}/{c}"),
            None => match spec.and_then(|s| s.parallelism).unwrap_or(0) {
                p if p > 1 => format!("{succeeded}/1 of {p}"),
                _ => format!("{succeeded}/1"),
            },
        };
        let has = |kind: &str| {
            status
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == kind && c.status == "True"))
        };
        let state = if has("Complete") {
            ("Complete", Tone::Muted)
        } else if has("Failed") {
            ("Failed", Tone::Bad)
        } else if self.metadata.deletion_timestamp.is_some() {
            ("Terminating", Tone::Progressing)
        } else if has("Suspended") {
            ("Suspended", Tone::Muted)
        } else if has("FailureTarget") {
            ("FailureTarget", Tone::Bad)
        } else {
            ("Running", Tone::Progressing)
        };
        ((completions, state.1), (state.0.to_string(), state.1))
    }
}

impl Tracked for CronJob {
    const KIND: Kind = Kind::CronJob;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        let active = self
            .status
            .as_ref()
            .and_then(|s| s.active.as_ref())
            .map_or(0, Vec::len);
        let suspended = self.spec.suspend.unwrap_or(false);
        let status = if suspended {
            (format!("Suspended, {active} active"), Tone::Muted)
        } else {
            (format!("{active} active"), Tone::Normal)
        };
        (none(), status)
    }
}

impl Tracked for ControllerRevision {
    const KIND: Kind = Kind::ControllerRevision;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        (
            none(),
            (
                format!("revision {}", self.revision.unwrap_or(0)),
                Tone::Muted,
            ),
        )
    }
}

impl Tracked for PodDisruptionBudget {
    const KIND: Kind = Kind::PodDisruptionBudget;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        let allowed = self
            .status
            .as_ref()
            .and_then(|s| s.disruptions_allowed)
            .unwrap_or(0);
        (
            none(),
            (
                format!("{allowed} disruptions allowed"),
                good_if(allowed > 0),
            ),
        )
    }
}

impl Tracked for Node {
    const KIND: Kind = Kind::Node;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        let status = crate::node::status(self);
        let tone = good_if(status == "Ready");
        (none(), (status, tone))
    }
}

impl Tracked for Namespace {
    const KIND: Kind = Kind::Namespace;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        let phase = self.status.as_ref().and_then(|s| s.phase.clone());
        (none(), (phase.unwrap_or_default(), Tone::Normal))
    }
}

impl Tracked for Event {
    const KIND: Kind = Kind::Event;
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn cells(&self) -> (Cell, Cell) {
        (
            none(),
            (self.reason.clone().unwrap_or_default(), Tone::Normal),
        )
    }
}
