use actix_web::{HttpResponse, web};

use super::page::page;
use crate::domain::Role;
use crate::service::Registry;
use crate::web::form::FormData;
use crate::web::pages::shared::{blocking, firm_id};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/certificates/new`: the certificates so far (each with 修改 and 撤回) and
/// an empty form.
pub async fn new_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let id = firm_id(&path)?;
    let (firm, certificates) = blocking(&registry, move |r| {
        Ok((r.firms().get(id)?, r.figures().list_certificates(id)?))
    })
    .await??;
    let values = ctx.values_or(FormData::default);
    ok(&page(ctx, &firm, &certificates, &values, &[]))
}
