use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::show_users::users_page;
use crate::domain::Role;
use crate::service::Registry;
use crate::web::form::FormData;
use crate::web::pages::shared::blocking;
use crate::web::{PageContext, WebError};

/// `POST /admin/users/{name}/reset`: gives the account a new one-time password, ends its
/// sessions and shows the password once (a page, not a redirect: it is not stored).
#[tracing::instrument(name = "web.reset_password", skip_all)]
pub async fn reset_password(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    ctx.accept_form(&body, Role::Admin)?;
    let username = path.into_inner();
    let actor = ctx.actor();
    let name = username.clone();
    let password = blocking(&registry, move |r| r.reset_password(&name, &actor)).await??;
    let mut values = FormData::default();
    values.set("role", Role::Viewer.as_str());
    let one_time = Some((username, password));
    users_page(ctx, &registry, StatusCode::OK, &values, &[], one_time).await
}
