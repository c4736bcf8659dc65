//! The simulator's etcd: objects as JSON keyed by resource and `namespace/name`, one
//! global revision that every write bumps (an object's resourceVersion is the
//! revision that last wrote it), a window of recent changes for watches to resume
//! from, and a broadcast of each change to the open watches.
//!
//! The lock is a std `RwLock` held only for in-memory work, never across an await.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::{broadcast, watch};

use super::history::{History, TooOld};
use super::metadata::{
    ApplyError, generate_name, set_resource_version, split_type, stamp_generation, stamp_identity,
    storage_key_of, timestamp,
};
use super::object::{self, IdentitySource};
use super::resources::{RESOURCES, Resource};
use kubesight_model::clock::Clock;

/// Why [`Store::modify`] wrote nothing.
#[derive(Debug)]
pub enum ModifyError<E> {
    /// The change itself refused (a failed precondition, an invalid patch).
    Refused(E),
    /// The changed object cannot be stored (it lost its name or metadata).
    Invalid(ApplyError),
}

/// What a write did, as a watch event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Modified,
    Deleted,
}

impl ChangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "ADDED",
            ChangeType::Modified => "MODIFIED",
            ChangeType::Deleted => "DELETED",
        }
    }
}

/// One write, as the watch cache keeps it: the new state and the one it replaced,
/// so a filtered watch can tell an object entering or leaving its selection.
#[derive(Debug)]
pub struct Change {
    pub revision: u64,
    pub resource: &'static Resource,
    pub key: String,
    pub change_type: ChangeType,
    /// The stored body after the write; for a deletion, the last state stamped
    /// with the deleting revision.
    pub object: Arc<Value>,
    pub previous: Option<Arc<Value>>,
    /// The watch line for watchers that see this change as it happened, encoded
    /// once however many watchers send it.
    encoded: OnceLock<Bytes>,
}

impl Change {
    pub fn new(
        revision: u64,
        resource: &'static Resource,
        key: String,
        change_type: ChangeType,
        object: Arc<Value>,
        previous: Option<Arc<Value>>,
    ) -> Change {
        Change {
            revision,
            resource,
            key,
            change_type,
            object,
            previous,
            encoded: OnceLock::new(),
        }
    }

    pub fn encoded_line(&self, encode: impl FnOnce() -> Bytes) -> Bytes {
        self.encoded.get_or_init(encode).clone()
    }
}

/// Where a watch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchStart {
    /// From the current revision, optionally with every current object first.
    Now { initial_state: bool },
    /// After this revision, replaying the changes since.
    After(u64),
}

/// What a new watch needs, taken under one lock so that nothing falls between the
/// snapshot and the live changes.
pub struct Subscription {
    /// The revision the snapshot or replay reaches; live changes at or below it
    /// are already covered.
    pub revision: u64,
    /// Current objects of the scope, in key order (with `initial_state`).
    pub initial: Vec<Arc<Value>>,
    /// Changes of the resource and scope after the requested revision.
    pub replay: Vec<Arc<Change>>,
    pub live: broadcast::Receiver<Arc<Change>>,
}

struct State {
    /// Per resource (indexed like [`RESOURCES`]), by storage key.
    objects: Vec<BTreeMap<String, Arc<Value>>>,
    revision: u64,
    history: History<Arc<Change>>,
    identities: IdentitySource,
}

pub struct Store {
    state: RwLock<State>,
    changes: broadcast::Sender<Arc<Change>>,
    revision: watch::Sender<u64>,
    clock: Clock,
}

impl Store {
    /// A store holding `seed`: objects keep numeric resourceVersions they carry
    /// (the global revision starts at the highest), others get fresh ones. The
    /// history starts empty at that revision, as a freshly started watch cache.
    /// Objects that cannot be stored are left out, with a warning.
    pub fn new(
        seed: Vec<Value>,
        history_window: usize,
        watch_buffer: usize,
        clock: Clock,
    ) -> Store {
        let mut objects = vec![BTreeMap::new(); RESOURCES.len()];
        let mut identities = IdentitySource::default();
        let now = timestamp(&clock);
        let mut prepared = Vec::with_capacity(seed.len());
        for value in seed {
            match split_type(value) {
                Ok(typed) => prepared.push(typed),
                Err(error) => tracing::warn!("simulator: seed object left out: {error}"),
            }
        }
        let mut revision = prepared
            .iter()
            .filter_map(|(_, body)| object::resource_version(body))
            .max()
            .unwrap_or(0);
        for (resource, mut body) in prepared {
            let kept_version = object::resource_version(&body);
            let key = match stamp_identity(resource, &mut body, None, &mut identities, &now) {
                Ok(key) => key,
                Err(error) => {
                    tracing::warn!("simulator: seed object left out: {error}");
                    continue;
                }
            };
            // Seeded objects were created elsewhere: admission ran there.
            super::defaults::apply(resource, &mut body, false);
            let version = kept_version.unwrap_or_else(|| {
                revision += 1;
                revision
            });
            set_resource_version(&mut body, version);
            objects[resource.index()].insert(key, Arc::new(body));
        }
        let (changes, _) = broadcast::channel(watch_buffer.max(1));
        let (revision_sender, _) = watch::channel(revision);
        Store {
            state: RwLock::new(State {
                objects,
                revision,
                history: History::new(history_window, revision),
                identities,
            }),
            changes,
            revision: revision_sender,
            clock,
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn revision(&self) -> u64 {
        self.read().revision
    }

    /// The oldest revision a watch or a consistent continuation may start from.
    pub fn compacted_through(&self) -> u64 {
        self.read().history.compacted_through()
    }

    /// Creates or replaces an object. Replacing keeps the stored uid and
    /// creationTimestamp, as an update does; `generateName` is honoured.
    pub fn apply(&self, value: Value) -> Result<Value, ApplyError> {
        let (resource, mut body) = split_type(value)?;
        let now = timestamp(&self.clock);
        let mut state = self.write();
        let state = &mut *state;
        if object::name(&body).is_empty() {
            let objects = &state.objects[resource.index()];
            let generated = generate_name(resource, &body, &mut state.identities, |key| {
                objects.contains_key(key)
            })?;
            if let Some(meta) = object::metadata_mut(&mut body) {
                meta.insert("name".into(), Value::String(generated));
            }
        }
        self.write_locked(state, resource, body, &now)
    }

    /// Replaces the stored object `namespace/name` with what `change` makes of
    /// it, under one lock so that nothing writes in between (a read-modify-write
    /// with its precondition checked atomically, as etcd's guaranteed update).
    /// `Ok(None)` when there is no such object; an unchanged result is not
    /// written (no new resourceVersion, no watch event).
    pub fn modify<E>(
        &self,
        resource: &'static Resource,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&Value) -> Result<Value, E>,
    ) -> Result<Option<Value>, ModifyError<E>> {
        let now = timestamp(&self.clock);
        let key = object::storage_key(resource, namespace, name);
        let mut state = self.write();
        let state = &mut *state;
        let Some(current) = state.objects[resource.index()].get(&key).cloned() else {
            return Ok(None);
        };
        let changed = change(&current).map_err(ModifyError::Refused)?;
        self.write_locked(state, resource, changed, &now)
            .map(Some)
            .map_err(ModifyError::Invalid)
    }

    /// Deletes `namespace/name` if `check` accepts its current state, under one
    /// lock. `Ok(None)` when there is no such object.
    pub fn delete_if<E>(
        &self,
        resource: &'static Resource,
        namespace: &str,
        name: &str,
        check: impl FnOnce(&Value) -> Result<(), E>,
    ) -> Result<Option<Value>, E> {
        let key = object::storage_key(resource, namespace, name);
        let mut state = self.write();
        let state = &mut *state;
        let Some(current) = state.objects[resource.index()].get(&key) else {
            return Ok(None);
        };
        check(current)?;
        Ok(self.delete_locked(state, resource, key))
    }

    /// Stamps and stores `body`, which names its object, with the lock held.
    fn write_locked(
        &self,
        state: &mut State,
        resource: &'static Resource,
        mut body: Value,
        now: &str,
    ) -> Result<Value, ApplyError> {
        let probe_key = storage_key_of(resource, &body);
        let previous = state.objects[resource.index()].get(&probe_key).cloned();
        let key = stamp_identity(
            resource,
            &mut body,
            previous.as_deref(),
            &mut state.identities,
            now,
        )?;
        super::defaults::apply(resource, &mut body, true);
        stamp_generation(resource, &mut body, previous.as_deref());
        if let Some(previous) = &previous {
            // An update that changes nothing is not written, as etcd3's store
            // skips it: no new resourceVersion, no watch event.
            let mut unchanged = body.clone();
            if let Some(version) = object::resource_version(previous) {
                set_resource_version(&mut unchanged, version);
            }
            if unchanged == **previous {
                return Ok(object::with_type(resource, previous));
            }
        }
        state.revision += 1;
        let revision = state.revision;
        set_resource_version(&mut body, revision);
        let body = Arc::new(body);
        state.objects[resource.index()].insert(key.clone(), body.clone());
        let change_type = if previous.is_some() {
            ChangeType::Modified
        } else {
            ChangeType::Added
        };
        self.record(state, resource, key, change_type, body.clone(), previous);
        Ok(object::with_type(resource, &body))
    }

    /// Deletes an object; returns its last state stamped with the deleting
    /// revision, as the DELETED event carries it.
    pub fn delete(
        &self,
        resource: &'static Resource,
        namespace: &str,
        name: &str,
    ) -> Option<Value> {
        let key = object::storage_key(resource, namespace, name);
        let mut state = self.write();
        self.delete_locked(&mut state, resource, key)
    }

    fn delete_locked(
        &self,
        state: &mut State,
        resource: &'static Resource,
        key: String,
    ) -> Option<Value> {
        let previous = state.objects[resource.index()].remove(&key)?;
        state.revision += 1;
        let mut last = (*previous).clone();
        set_resource_version(&mut last, state.revision);
        let last = Arc::new(last);
        self.record(
            state,
            resource,
            key,
            ChangeType::Deleted,
            last.clone(),
            Some(previous),
        );
        Some(object::with_type(resource, &last))
    }

    fn record(
        &self,
        state: &mut State,
        resource: &'static Resource,
        key: String,
        change_type: ChangeType,
        object: Arc<Value>,
        previous: Option<Arc<Value>>,
    ) {
        let change = Arc::new(Change::new(
            state.revision,
            resource,
            key,
            change_type,
            object,
            previous,
        ));
        state.history.push(state.revision, change.clone());
        // No receiver simply means no watch is open.
        let _ = self.changes.send(change);
        self.revision.send_replace(state.revision);
    }

    pub fn get(&self, resource: &Resource, namespace: &str, name: &str) -> Option<Arc<Value>> {
        let key = object::storage_key(resource, namespace, name);
        self.read().objects[resource.index()].get(&key).cloned()
    }

    /// Runs `read` over the objects of `resource` as of revision `at` (the
    /// current one when `None` or not older), reconstructed from the history
    /// when older. Only keys under `prefix`, from `start` on, are guaranteed to
    /// be present (`start` begins with `prefix`).
    pub fn read_scope<R>(
        &self,
        resource: &Resource,
        prefix: &str,
        start: &str,
        at: Option<u64>,
        read: impl FnOnce(u64, &BTreeMap<String, Arc<Value>>) -> R,
    ) -> Result<R, TooOld> {
        let state = self.read();
        let current = &state.objects[resource.index()];
        let at = match at {
            Some(at) if at < state.revision => at,
            _ => return Ok(read(state.revision, current)),
        };
        let changes = state.history.since(at)?;
        let mut snapshot: BTreeMap<String, Arc<Value>> = in_scope_from(current, prefix, start)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Undo, newest first, every write made after `at`.
        for change in changes.rev() {
            let in_range = change.key.starts_with(prefix) && change.key.as_str() >= start;
            if change.resource != resource || !in_range {
                continue;
            }
            match (&change.change_type, &change.previous) {
                (ChangeType::Added, _) => {
                    snapshot.remove(&change.key);
                }
                (_, Some(previous)) => {
                    snapshot.insert(change.key.clone(), previous.clone());
                }
                (_, None) => {}
            }
        }
        Ok(read(at, &snapshot))
    }

    /// Opens a watch on `resource` within `prefix`.
    pub fn subscribe(
        &self,
        resource: &Resource,
        prefix: &str,
        start: WatchStart,
    ) -> Result<Subscription, TooOld> {
        let state = self.read();
        let live = self.changes.subscribe();
        let objects = &state.objects[resource.index()];
        match start {
            WatchStart::Now { initial_state } => Ok(Subscription {
                revision: state.revision,
                initial: if initial_state {
                    in_scope(objects, prefix).map(|(_, v)| v.clone()).collect()
                } else {
                    Vec::new()
                },
                replay: Vec::new(),
                live,
            }),
            WatchStart::After(revision) => {
                let replay = state
                    .history
                    .since(revision)?
                    .filter(|c| c.resource == resource && c.key.starts_with(prefix))
                    .cloned()
                    .collect();
                Ok(Subscription {
                    revision: revision.max(state.revision),
                    initial: Vec::new(),
                    replay,
                    live,
                })
            }
        }
    }

    /// Forgets every change so far: watches and continuations from any older
    /// revision now expire (410), as after an etcd compaction.
    pub fn compact(&self) {
        let mut state = self.write();
        let revision = state.revision;
        state.history.compact(revision);
    }

    /// Waits until the store reaches `target`; `Err(current)` after `wait`.
    pub async fn wait_for_revision(&self, target: u64, wait: Duration) -> Result<(), u64> {
        let mut revisions = self.revision.subscribe();
        // The borrow `wait_for` returns is dropped at once: writers wait on it.
        let reached = tokio::time::timeout(wait, revisions.wait_for(|r| *r >= target))
            .await
            .is_ok_and(|borrowed| borrowed.is_ok());
        if reached {
            Ok(())
        } else {
            Err(self.revision())
        }
    }

    /// Every stored object of `resource` (in `namespace` when given), typed.
    pub fn list(&self, resource: &'static Resource, namespace: Option<&str>) -> Vec<Value> {
        let prefix = object::scope_prefix(resource, namespace);
        let state = self.read();
        in_scope(&state.objects[resource.index()], &prefix)
            .map(|(_, body)| object::with_type(resource, body))
            .collect()
    }
}

/// Entries of `objects` whose key starts with `prefix`, in key order.
pub fn in_scope<'a>(
    objects: &'a BTreeMap<String, Arc<Value>>,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Arc<Value>)> + 'a {
    in_scope_from(objects, prefix, prefix)
}

/// Entries of `objects` under `prefix` from key `start` on (`start` itself begins
/// with `prefix`), in key order.
pub fn in_scope_from<'a>(
    objects: &'a BTreeMap<String, Arc<Value>>,
    prefix: &'a str,
    start: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Arc<Value>)> + 'a {
    objects
        .range::<str, _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
        .take_while(move |(key, _)| key.starts_with(prefix))
}

#[cfg(test)]
mod tests;
