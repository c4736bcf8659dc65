//! kubesight: a terminal explorer for Kubernetes clusters.
//!
//! Data flows one way: a *source* (snapshot files, live watchers, the simulator)
//! fills the [`cache`]; the [`model`] crate turns cache contents into view models with kubectl's
//! semantics; [`ui`] draws view models; [`app`] owns the interactive loop. Everything
//! here is usable without a terminal, which is what the headless `render` command and
//! the snapshot tests rely on.

pub mod app;
pub mod cache;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod drain_args;
pub mod drain_cli;
pub mod memory;
pub mod ops;
pub mod render;
pub mod source;
pub mod ui;

// The pure model and the simulator are crates of their own (`crates/`); their
// old module paths stay so that the app reads `crate::model::…` as before.
pub use kubesight_model as model;
pub use kubesight_model::{clock, demo, synthetic, yaml_error};
pub use kubesight_sim as sim;
