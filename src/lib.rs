//! kubesight: a terminal explorer for Kubernetes clusters.
//!
//! Data flows one way: a *source* (snapshot files today, live watchers later) fills
//! the [`cache`]; the [`model`] turns cache contents into view models with kubectl's
//! semantics; [`ui`] draws view models; [`app`] owns the interactive loop. Everything
//! here is usable without a terminal, which is what the headless `render` command and
//! the snapshot tests rely on.

pub mod app;
pub mod cache;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod config;
pub mod demo;
pub mod drain_args;
pub mod drain_cli;
pub mod memory;
pub mod model;
pub mod ops;
pub mod render;
pub mod sim;
pub mod source;
pub mod synthetic;
pub mod ui;
pub mod yaml_error;
