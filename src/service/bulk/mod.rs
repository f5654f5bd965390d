//! Bulk work on firms: importing a file, exporting every firm, loading demonstration data:
//! the `Bulk` capability. (`crate::bulk` reads and writes the files; this runs them.)

pub(crate) mod demo;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod import_apply;
pub(crate) mod import_check;
pub(crate) mod import_diff;
pub(crate) mod import_write;
pub(crate) mod report;

use crate::service::registry::Registry;

/// Import, export and demonstration data; reached by [`Registry::bulk`].
#[derive(Clone, Copy)]
pub struct Bulk<'a> {
    registry: &'a Registry,
}

impl<'a> Bulk<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}
