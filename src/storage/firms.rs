//! Firm rows and their queries.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConnection;
use super::StorageResult;
use super::convert::{corrupt, from_utc, parse_uuid, to_utc};
use super::schema::{current_tiers, firms};
use crate::domain::{Firm, FirmProfile, FirmStatus, IndustryCode, RegionCode, Uscc};

/// A `firms` row exactly as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = firms)]
#[diesel(treat_none_as_null = true)]
pub struct FirmRow {
    pub id: String,
    pub uscc: String,
    pub name: String,
    pub name_en: Option<String>,
    pub region_code: String,
    pub industry_code: String,
    pub founded_on: NaiveDate,
    pub listed_on: Option<NaiveDate>,
    pub status: String,
    pub credit_ok: Option<bool>,
    pub tech_firm: Option<bool>,
    pub key_tech_breakthrough: Option<bool>,
    pub in_gazelle_pool: Option<bool>,
    pub in_key_tech_field: Option<bool>,
    pub major_violation_on: Option<NaiveDate>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<&Firm> for FirmRow {
    fn from(firm: &Firm) -> Self {
        let p = &firm.profile;
        Self {
            id: firm.id.to_string(),
            uscc: p.uscc.to_string(),
            name: p.name.clone(),
            name_en: p.name_en.clone(),
            region_code: p.region_code.to_string(),
            industry_code: p.industry_code.to_string(),
            founded_on: p.founded_on,
            listed_on: p.listed_on,
            status: p.status.as_str().to_owned(),
            credit_ok: p.credit_ok,
            tech_firm: p.tech_firm,
            key_tech_breakthrough: p.key_tech_breakthrough,
            in_gazelle_pool: p.in_gazelle_pool,
            in_key_tech_field: p.in_key_tech_field,
            major_violation_on: p.major_violation_on,
            version: firm.version,
            created_at: from_utc(firm.created_at),
            updated_at: from_utc(firm.updated_at),
        }
    }
}

impl TryFrom<FirmRow> for Firm {
    type Error = diesel::result::Error;

    fn try_from(row: FirmRow) -> Result<Self, Self::Error> {
        Ok(Firm {
            id: parse_uuid(&row.id)?,
            version: row.version,
            created_at: to_utc(row.created_at),
            updated_at: to_utc(row.updated_at),
            profile: FirmProfile {
                uscc: Uscc::parse(&row.uscc).map_err(corrupt)?,
                name: row.name,
                name_en: row.name_en,
                region_code: RegionCode::from_trusted(row.region_code),
                industry_code: IndustryCode::from_trusted(row.industry_code),
                founded_on: row.founded_on,
                listed_on: row.listed_on,
                status: FirmStatus::parse(&row.status).map_err(corrupt)?,
                credit_ok: row.credit_ok,
                tech_firm: row.tech_firm,
                key_tech_breakthrough: row.key_tech_breakthrough,
                in_gazelle_pool: row.in_gazelle_pool,
                in_key_tech_field: row.in_key_tech_field,
                major_violation_on: row.major_violation_on,
            },
        })
    }
}

/// Stores a new firm; a duplicate USCC fails with a unique violation.
pub fn insert_firm(conn: &mut DbConnection, firm: &Firm) -> StorageResult<()> {
    Ok(diesel::insert_into(firms::table)
        .values(FirmRow::from(firm))
        .execute(conn)
        .map(drop)?)
}

/// The firm with `id`, if any.
pub fn find_firm(conn: &mut DbConnection, id: Uuid) -> StorageResult<Option<Firm>> {
    Ok(firms::table
        .find(id.to_string())
        .select(FirmRow::as_select())
        .first(conn)
        .optional()?
        .map(Firm::try_from)
        .transpose()?)
}

/// The id of the firm holding a normalised USCC, if any.
pub fn find_firm_id_by_uscc(conn: &mut DbConnection, uscc: &Uscc) -> StorageResult<Option<Uuid>> {
    Ok(firms::table
        .filter(firms::uscc.eq(uscc.as_str()))
        .select(firms::id)
        .first::<String>(conn)
        .optional()?
        .map(|id| parse_uuid(&id))
        .transpose()?)
}

/// Writes `firm` over the stored row if the stored version is still `expected_version`.
/// Returns whether a row was written (false: someone else changed it first).
pub fn update_firm(
    conn: &mut DbConnection,
    firm: &Firm,
    expected_version: i64,
) -> StorageResult<bool> {
    let n = diesel::update(
        firms::table
            .filter(firms::id.eq(firm.id.to_string()))
            .filter(firms::version.eq(expected_version)),
    )
    .set(FirmRow::from(firm))
    .execute(conn)?;
    Ok(n == 1)
}

/// The order of the firm list; each ends with the id, so pages never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FirmOrder {
    /// Registration order (UUID v7 ids sort by time); the only order a cursor pages.
    #[default]
    Registered,
    /// By name (code-point order on both backends' default collation for the same text).
    Name,
    /// Oldest founding date first.
    FoundedOn,
    /// Newest founding date first.
    FoundedOnDesc,
}

/// Filters of the firm list.
#[derive(Debug, Clone, Default)]
pub struct FirmFilter {
    /// Exact district code.
    pub region: Option<String>,
    /// Industry code prefix (`C` matches `C38`).
    pub industry: Option<String>,
    /// Part of the name (case-insensitive for Latin letters) or the start of the USCC.
    pub q: Option<String>,
    /// Only firms holding one of these tiers now (any tier when empty).
    pub tiers: Vec<String>,
    /// Only firms holding a tier of this track now (with `tiers`: one of those, on this track).
    pub track: Option<String>,
    /// Only firms whose id sorts after this one (cursor pagination).
    pub after: Option<Uuid>,
    /// At most this many.
    pub limit: i64,
    /// The order.
    pub order: FirmOrder,
    /// Firms skipped before the page (numbered pages on the staff list).
    pub offset: i64,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Escapes LIKE wildcards so user text matches literally (`\` is the escape character).
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Narrows a boxed query of `firms` to the filter's region, industry, text and tiers.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &FirmFilter = $filter;
        let mut query = $query;
        if let Some(region) = &filter.region {
            query = query.filter(firms::region_code.eq(region.clone()));
        }
        if let Some(industry) = &filter.industry {
            query = query.filter(
                firms::industry_code
                    .like(format!("{}%", like_literal(industry)))
                    .escape('\\'),
            );
        }
        if let Some(q) = &filter.q {
            let contains = format!("%{}%", like_literal(&q.to_lowercase()));
            let prefix = format!("{}%", like_literal(&q.to_uppercase()));
            query = query.filter(
                lower(firms::name)
                    .like(contains)
                    .escape('\\')
                    .or(firms::uscc.like(prefix).escape('\\')),
            );
        }
        let holding = current_tiers::table.select(current_tiers::firm_id);
        let tiers = current_tiers::tier.eq_any(filter.tiers.clone());
        match (filter.tiers.is_empty(), &filter.track) {
            (true, None) => {}
            (false, None) => query = query.filter(firms::id.eq_any(holding.filter(tiers))),
            (true, Some(track)) => {
                let on = current_tiers::track.eq(track.clone());
                query = query.filter(firms::id.eq_any(holding.filter(on)));
            }
            (false, Some(track)) => {
                let on = current_tiers::track.eq(track.clone());
                query = query.filter(firms::id.eq_any(holding.filter(tiers).filter(on)));
            }
        }
        query
    }};
}

/// Firms in id order (UUID v7 ids sort by registration time) matching `filter`.
pub fn list_firms(conn: &mut DbConnection, filter: &FirmFilter) -> StorageResult<Vec<Firm>> {
    let mut query = filtered!(
        firms::table.select(FirmRow::as_select()).into_boxed(),
        filter
    );
    if let Some(after) = filter.after {
        query = query.filter(firms::id.gt(after.to_string()));
    }
    query = match filter.order {
        FirmOrder::Registered => query.order(firms::id.asc()),
        FirmOrder::Name => query.order((firms::name.asc(), firms::id.asc())),
        FirmOrder::FoundedOn => query.order((firms::founded_on.asc(), firms::id.asc())),
        FirmOrder::FoundedOnDesc => query.order((firms::founded_on.desc(), firms::id.asc())),
    };
    query
        .offset(filter.offset.max(0))
        .limit(filter.limit)
        .load(conn)?
        .into_iter()
        .map(|row| Ok(Firm::try_from(row)?))
        .collect()
}

/// How many firms match `filter` (its cursor and limit aside).
pub fn count_firms(conn: &mut DbConnection, filter: &FirmFilter) -> StorageResult<i64> {
    Ok(filtered!(
        firms::table.select(diesel::dsl::count_star()).into_boxed(),
        filter
    )
    .first(conn)?)
}

/// The names of the firms with these ids (at most a page: one SQL parameter each).
pub fn firm_names(
    conn: &mut DbConnection,
    ids: &[Uuid],
) -> StorageResult<std::collections::HashMap<Uuid, String>> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let rows: Vec<(String, String)> = firms::table
        .filter(firms::id.eq_any(&ids))
        .select((firms::id, firms::name))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, name)| Ok((parse_uuid(&id)?, name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::like_literal;

    #[test]
    fn like_wildcards_in_user_text_are_escaped() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
