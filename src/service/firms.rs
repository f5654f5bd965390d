//! Registering, reading, listing and editing firms: the `Firms` capability.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::error::ServiceError;
use super::idempotency::{Created, Idempotency, create_once};
use super::ledger::Cause;
use super::registry::Registry;
use super::time_passing::write_facts;
use crate::domain::{FieldError, Firm};
use crate::inputs::{FirmInput, FirmPatch};
use crate::storage::{self, DbConnection, FirmFilter};

/// Largest page of the firm list.
pub const MAX_PAGE: i64 = 200;
/// Page size when the client names none.
pub const DEFAULT_PAGE: i64 = 50;

/// What an edit must match: the `If-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match` header.
    Missing,
    /// `If-Match: *`.
    Any,
    /// The versions the client says it read.
    Versions(Vec<i64>),
}

impl Precondition {
    pub(crate) fn check(&self, current: i64) -> Result<(), ServiceError> {
        match self {
            Self::Missing => Err(ServiceError::PreconditionRequired),
            Self::Any => Ok(()),
            Self::Versions(v) if v.contains(&current) => Ok(()),
            Self::Versions(_) => Err(ServiceError::PreconditionFailed { current }),
        }
    }
}

/// A new founding date must not come after what is stored about the firm: a fiscal year
/// before the founding year, a round closed or a certificate issued before founding (the
/// checks a new year, round or certificate gets). Withdrawn records do not count.
fn check_founding(
    conn: &mut DbConnection,
    id: Uuid,
    founded_on: NaiveDate,
) -> Result<(), ServiceError> {
    let mut clashes = Vec::new();
    if let Some(y) = storage::list_years(conn, id)?
        .iter()
        .map(|y| y.fiscal_year)
        .filter(|y| *y < founded_on.year())
        .min()
    {
        clashes.push(format!("figures are stored for fiscal year {y}"));
    }
    if let Some(d) = storage::list_financings(conn, id)?
        .iter()
        .map(|(r, _)| r.closed_on)
        .filter(|d| *d < founded_on)
        .min()
    {
        clashes.push(format!("a financing round closed on {d}"));
    }
    if let Some(d) = storage::list_certificates(conn, id)?
        .iter()
        .map(|(c, _)| c.issued_on)
        .filter(|d| *d < founded_on)
        .min()
    {
        clashes.push(format!("a certificate was issued on {d}"));
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(ServiceError::Validation(
        FieldError::new(
            "founded_on",
            "after_stored_facts",
            format!(
                "{founded_on} is after what is stored about the firm: {}; correct those first",
                clashes.join("; ")
            ),
        )
        .into(),
    ))
}

/// A page of firms and the cursor of the next one.
#[derive(Debug, Clone)]
pub struct FirmPage {
    /// The firms, in registration order.
    pub items: Vec<Firm>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<Uuid>,
    /// How many firms match the filter in all, on the first page (no cursor) only.
    pub total: Option<i64>,
}

/// Registering, reading, listing and editing firms; reached by [`Registry::firms`].
#[derive(Clone, Copy)]
pub struct Firms<'a> {
    registry: &'a Registry,
}

impl<'a> Firms<'a> {
    pub(super) fn new(registry: &'a Registry) -> Self {
        Self { registry }
    }
}

impl Firms<'_> {
    /// Registers a firm. A USCC already registered (after normalisation) is a conflict; a
    /// retry with the same Idempotency-Key (on the same route) gets the firm the first request
    /// registered.
    #[tracing::instrument(skip_all, fields(firm.uscc = %input.uscc))]
    pub fn register(
        &self,
        input: &FirmInput,
        actor: &str,
        idempotency: Option<&Idempotency>,
    ) -> Result<Created<Firm>, ServiceError> {
        let profile = input.parse(self.registry.parse_context())?;
        let created = create_once(self.registry, idempotency, |conn| {
            if storage::find_firm_id_by_uscc(conn, &profile.uscc)?.is_some() {
                return Err(ServiceError::conflict(
                    "uscc",
                    "already_registered",
                    format!("{} is already registered", profile.uscc),
                ));
            }
            let now = self.registry.clock().now();
            let firm = Firm {
                id: Uuid::now_v7(),
                version: 1,
                created_at: now,
                updated_at: now,
                profile: profile.clone(),
            };
            storage::insert_firm(conn, &firm)?;
            // Recruitment targets count firms that came into the city this year.
            let region = firm.profile.region_code.as_str();
            if region.starts_with(self.registry.catalog().city_prefix()) {
                let today = self.registry.clock().today();
                storage::insert_arrival(conn, &firm.id.to_string(), today, "registered", region)?;
            }
            self.registry
                .classify_new_in(conn, &firm, Cause::FirmChanged, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "firm.registered",
                Some(("firm", firm.id.to_string())),
                None,
                serde_json::json!({"uscc": firm.profile.uscc.to_string(), "name": firm.profile.name}),
            )?;
            Ok((firm.id, firm))
        })?;
        if let Created::New(firm) = &created {
            tracing::info!(firm.id = %firm.id, "firm registered");
        }
        Ok(created)
    }

    /// The firm with `id`.
    pub fn get(&self, id: Uuid) -> Result<Firm, ServiceError> {
        let mut conn = self.registry.conn()?;
        storage::find_firm(&mut conn, id)?.ok_or(ServiceError::NotFound("firm"))
    }

    /// A page of firms matching `filter`; the page size is clamped to 1..=200.
    pub fn list(&self, mut filter: FirmFilter) -> Result<FirmPage, ServiceError> {
        let limit = filter.limit.clamp(1, MAX_PAGE);
        // One more than asked tells whether another page exists without a COUNT.
        filter.limit = limit + 1;
        let mut conn = self.registry.conn()?;
        let mut items = storage::list_firms(&mut conn, &filter)?;
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        // A cursor continues registration order only; other orders page by offset.
        let keyset = filter.order == storage::FirmOrder::Registered && filter.offset == 0;
        let next_cursor = if more && keyset {
            items.last().map(|f| f.id)
        } else {
            None
        };
        // A cursor means the client already has the total from the first page.
        let total = if filter.after.is_none() {
            Some(storage::count_firms(&mut conn, &filter)?)
        } else {
            None
        };
        Ok(FirmPage {
            items,
            next_cursor,
            total,
        })
    }

    /// The names of the firms with these ids (a page of them at most); ids of no firm are
    /// left out.
    pub fn names(
        &self,
        ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, String>, ServiceError> {
        let mut conn = self.registry.conn()?;
        Ok(storage::firm_names(&mut conn, ids)?)
    }

    /// Applies `patch` if the firm is still at a version the client read. An edit that
    /// changes nothing keeps the version.
    #[tracing::instrument(skip_all, fields(firm.id = %id))]
    pub fn patch(
        &self,
        id: Uuid,
        precondition: &Precondition,
        patch: &FirmPatch,
        actor: &str,
    ) -> Result<Firm, ServiceError> {
        if *precondition == Precondition::Missing {
            return Err(ServiceError::PreconditionRequired);
        }
        let ctx = self.registry.parse_context();
        let now = self.registry.clock().now();
        write_facts(self.registry, |conn| {
            if !storage::lock_firm(conn, id)? {
                return Err(ServiceError::NotFound("firm"));
            }
            let current = storage::find_firm(conn, id)?.ok_or(ServiceError::NotFound("firm"))?;
            precondition.check(current.version)?;
            let profile = patch.apply(&current.profile, ctx)?;
            if profile == current.profile {
                return Ok(current);
            }
            if profile.founded_on != current.profile.founded_on {
                check_founding(conn, id, profile.founded_on)?;
            }
            if profile.uscc != current.profile.uscc
                && storage::find_firm_id_by_uscc(conn, &profile.uscc)?.is_some()
            {
                return Err(ServiceError::conflict(
                    "uscc",
                    "already_registered",
                    format!("{} is already registered to another firm", profile.uscc),
                ));
            }
            let updated = Firm {
                version: current.version + 1,
                updated_at: now,
                profile,
                ..current.clone()
            };
            if !storage::update_firm(conn, &updated, current.version)? {
                return Err(ServiceError::PreconditionFailed {
                    current: current.version + 1,
                });
            }
            // A firm moving in from another city is recruited like a new registration.
            let city = self.registry.catalog().city_prefix();
            let region = updated.profile.region_code.as_str();
            if region.starts_with(city) && !current.profile.region_code.as_str().starts_with(city) {
                let today = self.registry.clock().today();
                storage::insert_arrival(conn, &id.to_string(), today, "moved_in", region)?;
            }
            self.registry
                .reclassify_in(conn, id, Cause::FirmChanged, actor)?;
            self.registry.audit().record_in(
                conn,
                actor,
                "firm.edited",
                Some(("firm", id.to_string())),
                None,
                serde_json::json!({"version": updated.version}),
            )?;
            Ok(updated)
        })
    }
}
