use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::show_users::users_page;
use crate::domain::{FieldError, Role};
use crate::service::{Registry, ServiceError};
use crate::web::form::FormData;
use crate::web::pages::shared::blocking;
use crate::web::{PageContext, WebError};

/// `POST /admin/users`: adds an account and shows its one-time password once. A page, not
/// a redirect: only the password's hash is stored.
#[tracing::instrument(name = "web.add_user", skip_all)]
pub async fn add_user(
    ctx: PageContext,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Admin)?;
    let username = form.text("username");
    let actor = ctx.actor();
    let outcome = match Role::parse(form.get("role")) {
        Ok(role) => blocking(&registry, move |r| r.add_user(&username, role, &actor)).await?,
        Err(_) => Err(ServiceError::Validation(
            FieldError::new("role", "required", "choose a role").into(),
        )),
    };
    let errors = match outcome {
        Ok(account) => {
            let mut values = FormData::default();
            values.set("role", Role::Viewer.as_str());
            let one_time = Some((account.user.username, account.one_time_password));
            return users_page(ctx, &registry, StatusCode::OK, &values, &[], one_time).await;
        }
        Err(ServiceError::Validation(errors)) => errors.0,
        // A taken username is a mistake to correct beside the field, like a malformed one.
        Err(ServiceError::Conflict(error)) => vec![error],
        Err(other) => return Err(other.into()),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    users_page(ctx, &registry, status, &form, &errors, None).await
}
