use actix_web::{HttpResponse, web};

use crate::domain::Role;
use crate::service::Registry;
use crate::web::pages::shared::blocking;
use crate::web::render::see_other;
use crate::web::{PageContext, WebError};

/// `POST /admin/tokens/{id}/revoke`: the token stops working with its next request.
#[tracing::instrument(name = "web.revoke_token", skip_all)]
pub async fn revoke_token(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    ctx.accept_form(&body, Role::Admin)?;
    let id = path.into_inner();
    let actor = ctx.actor();
    blocking(&registry, move |r| r.accounts().revoke_token(&id, &actor)).await??;
    Ok(see_other("/admin/tokens", "token_revoked"))
}
