use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::show_users::users_page;
use crate::domain::{FieldError, Role};
use crate::service::{Created, Registry, ServiceError};
use crate::web::form_key;
use crate::web::memory::{PageMemory, Reveal};
use crate::web::pages::admin::create_token::Shown;
use crate::web::pages::shared::blocking;
use crate::web::render::see_other;
use crate::web::{PageContext, WebError};

/// `POST /admin/users`: adds an account once per form and redirects to the accounts page,
/// which shows its one-time password once.
#[tracing::instrument(name = "web.add_user", skip_all)]
pub async fn add_user(
    ctx: PageContext,
    registry: web::Data<Registry>,
    memory: web::Data<PageMemory>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Admin)?;
    let key = form_key::posted(&ctx, &form)?;
    let reveal_id = form_key::reveal_id(&form);
    let username = form.text("username");
    let actor = ctx.actor();
    let owner = actor.clone();
    let outcome = match Role::parse(form.get("role")) {
        Ok(role) => {
            blocking(&registry, move |r| {
                r.accounts()
                    .add_user_once(&username, role, &actor, key.as_ref())
            })
            .await?
        }
        Err(_) => Err(ServiceError::Validation(
            FieldError::new("role", "required", "choose a role").into(),
        )),
    };
    let shown_at = format!("/admin/users?created={reveal_id}");
    let errors = match outcome {
        Ok(Created::New(account)) => {
            memory.put_reveal(
                &reveal_id,
                Reveal {
                    owner,
                    label: account.user.username,
                    secret: account.one_time_password,
                },
            );
            return Ok(see_other(&shown_at, "user_added"));
        }
        Ok(Created::Replayed(_)) => return Ok(see_other(&shown_at, "user_added")),
        Err(ServiceError::Validation(errors)) => errors.0,
        Err(ServiceError::Conflict(error)) => vec![error],
        Err(other) => return Err(other.into()),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    users_page(ctx, &registry, status, &form, &errors, Shown::Nothing).await
}
