use actix_web::HttpResponse;

use super::import::ImportPage;
use crate::domain::Role;
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /admin/import`: the upload form.
pub async fn show_import(ctx: PageContext) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    ok(&ImportPage::empty(ctx))
}
