use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::import_view::{ImportPage, committed_view};
use crate::domain::Role;
use crate::service::Registry;
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
    render(StatusCode::OK, &committed_view(ctx, &entry, &names))
}
