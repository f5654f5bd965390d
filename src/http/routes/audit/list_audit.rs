use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::extract::query_text;
use crate::http::problem::{ApiError, Problem};
use crate::http::views::{AuditEntryResponse, AuditPage};
use crate::service::{AuditFilter, Registry};

/// Filters of the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this actor (a username, or `token:<name>`).
    pub actor: Option<String>,
    /// Only this action (`firm.registered`, `login.failed`, …).
    pub action: Option<String>,
    /// Only this kind of target (`firm`, `user`, `token`, `ruleset`).
    pub target_kind: Option<String>,
    /// Only this target (a firm id, …).
    pub target_id: Option<String>,
    /// Only entries older than this entry id (the `next_before` of the previous page).
    pub before: Option<String>,
    /// Page size, 1–500 (default 100; values outside are refused with 422).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Who did what to which firm and when: writes, logins, failed logins, rule publications,
/// token creation. Admins only.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "admin", params(AuditQuery),
    responses(
        (status = 200, description = "A page of the audit trail, newest first", body = AuditPage),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[tracing::instrument(name = "list_audit", skip_all)]
pub async fn list_audit(
    registry: web::Data<Registry>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let filter = AuditFilter {
        actor: query_text("actor", q.actor)?,
        action: query_text("action", q.action)?,
        target_kind: query_text("target_kind", q.target_kind)?,
        target_id: query_text("target_id", q.target_id)?,
        before: query_text("before", q.before)?,
    };
    let limit = crate::http::page_limit(q.limit, 100, crate::service::MAX_AUDIT_PAGE)?;
    let entries =
        crate::telemetry::blocking(move || registry.audit().trail(&filter, limit)).await??;
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.id.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(AuditPage {
        items: entries.into_iter().map(AuditEntryResponse::from).collect(),
        next_before,
    }))
}
