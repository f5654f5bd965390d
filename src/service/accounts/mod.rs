//! Staff accounts, sessions and API tokens: the `Accounts` capability.

pub(crate) mod policy;
pub(crate) mod secrets;
pub(crate) mod sessions;
pub(crate) mod tokens;
pub(crate) mod users;

use crate::service::registry::Registry;

/// Logging in and out, sessions, staff accounts and API tokens; reached by
/// [`Registry::accounts`].
#[derive(Clone, Copy)]
pub struct Accounts<'a> {
    registry: &'a Registry,
}

impl<'a> Accounts<'a> {
    pub(in crate::service) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}
