//! Printers of rbac kinds (filled in by the printer port).

use super::Printer;

pub const PRINTERS: &[Printer] = &[];
