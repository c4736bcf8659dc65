//! The objects views read: the kinds kubesight caches, a read handle per kind
//! ([`Stores`]), how fresh each kind is, and the slim pod the cache keeps. Sources
//! (files, watchers, the simulator) fill stores elsewhere; the model only reads.

pub mod freshness;
mod kinds;
mod loaded;
pub mod pod;
mod store;

pub use freshness::{Freshness, FreshnessBoard, KindStatus, Scope};
pub use kinds::{Kind, Objects, Stores};
pub use loaded::{LoadedPods, OtherObjects};
pub use store::{ObjectKey, Store, StoreRead, key};
