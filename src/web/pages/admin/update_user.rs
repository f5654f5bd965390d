use actix_web::{HttpResponse, web};

use crate::domain::Role;
use crate::service::Registry;
use crate::web::pages::shared::blocking;
use crate::web::render::see_other;
use crate::web::{PageContext, WebError};

/// `POST /admin/users/{name}`: sets an account's role and whether it is disabled (the
/// row's role form and its disable / enable button both post both fields). Disabling or a
/// new role ends the account's sessions at once.
#[tracing::instrument(name = "web.update_user", skip_all)]
pub async fn update_user(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Admin)?;
    let username = path.into_inner();
    // The forms always send a role; a post without one was not made by them.
    let role = Role::parse(form.get("role")).map_err(|_| WebError::BadRequest)?;
    let disabled = form.get("disabled") == "yes";
    if username == ctx.actor() {
        // An admin demoting or disabling themselves could leave nobody able to undo it.
        return Ok(see_other("/admin/users", "self_unchanged"));
    }
    let actor = ctx.actor();
    blocking(&registry, move |r| {
        r.accounts().update_user(&username, role, disabled, &actor)
    })
    .await??;
    Ok(see_other("/admin/users", "user_updated"))
}
