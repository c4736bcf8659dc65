//! kubesight's model: pure Kubernetes semantics. Objects in, view models out —
//! kubectl's printers, QoS, probes, rollout history, the drain plan and timeline,
//! selectors, validation, quantities — with no I/O, no terminal and no network
//! types, so everything here is unit-testable and matches kubectl. The compiler
//! holds that line: this crate does not depend on tokio, hyper, kube's client,
//! ratatui or crossterm.

pub mod capture;
pub mod clock;
pub mod cluster;
pub mod containers;
pub mod demo;
pub mod describe;
pub mod drain_event;
pub mod snapshot;
pub mod synthetic;
pub mod yaml_error;

pub mod age;
pub mod api_catalog;
pub mod doc;
pub mod doc_wrap;
pub mod drain;
pub mod drain_timeline;
pub mod events;
pub mod filter;
pub mod forwards;
pub mod freshness;
pub mod generic_rows;
pub mod labels_edit;
pub mod log_buffer;
pub mod log_view;
pub mod node;
pub mod node_rows;
pub mod owners;
pub mod parallel;
pub mod pdb;
pub mod pod;
pub mod pod_detail;
pub mod pod_rows;
pub mod pods_of;
pub mod printers;
pub mod probes;
pub mod qos;
pub mod qos_explain;
pub mod quantity;
pub mod resources;
pub mod rfc3339;
pub mod rollout;
pub mod scheduling;
pub mod secret_view;
pub mod selector;
pub mod table;
pub mod validation;
pub mod yaml_doc;
