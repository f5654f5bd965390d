use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::import::{ImportPage, change_views, counts};
use super::show_tokens::shanghai_time;
use crate::domain::Role;
use crate::service::{Registry, RowAction, TierChange};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::{ok, render};
use crate::web::{PageContext, WebError};

/// `?report=…`: the redirect after a commit names its audit entry.
#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    report: Option<String>,
}

/// `GET /admin/import`: the upload form, and after a commit its result, read from the
/// commit's audit entry (so a refresh, or a later visit, shows the same result and writes
/// nothing).
pub async fn show_import(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    let Some(id) = query.into_inner().report else {
        return ok(&ImportPage::empty(ctx));
    };
    let (entry, names) =
        blocking(&registry, move |r| Ok((r.audit().entry(&id)?, names(r)?))).await??;
    let Some(entry) = entry.filter(|e| e.action == "import.committed") else {
        return Err(WebError::NotFound);
    };
    let detail = &entry.detail;
    let number = |field: &str| {
        detail[field]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let listed: Vec<TierChange> =
        serde_json::from_value(detail["changes"].clone()).unwrap_or_default();
    let mut page = ImportPage::empty(ctx);
    page.committed = true;
    page.counts = counts(&page.ctx, |a| match a {
        RowAction::Create => number("created"),
        RowAction::Update => number("updated"),
        RowAction::Unchanged => number("unchanged"),
        RowAction::Error => 0,
    });
    page.more_changes = number("tier_changes").saturating_sub(listed.len());
    page.changes = change_views(&page.ctx, &names, &listed);
    page.committed_by = format!("{} · {}", shanghai_time(entry.at), entry.actor);
    render(StatusCode::OK, &page)
}
