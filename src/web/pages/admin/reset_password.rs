use actix_web::{HttpResponse, web};

use crate::domain::Role;
use crate::service::Registry;
use crate::web::form_key;
use crate::web::memory::{PageMemory, Reveal};
use crate::web::pages::shared::blocking;
use crate::web::render::see_other;
use crate::web::{PageContext, WebError};

/// `POST /admin/users/{name}/reset`: gives the account a new one-time password (ending its
/// sessions) and redirects to the accounts page, which shows the password once.
#[tracing::instrument(name = "web.reset_password", skip_all)]
pub async fn reset_password(
    ctx: PageContext,
    registry: web::Data<Registry>,
    memory: web::Data<PageMemory>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    ctx.accept_form(&body, Role::Admin)?;
    let username = path.into_inner();
    let actor = ctx.actor();
    let owner = actor.clone();
    let name = username.clone();
    let password = blocking(&registry, move |r| {
        r.accounts().reset_password(&name, &actor)
    })
    .await??;
    let reveal_id = form_key::new_key();
    memory.put_reveal(
        &reveal_id,
        Reveal {
            owner,
            label: username,
            secret: password,
        },
    );
    Ok(see_other(
        &format!("/admin/users?created={reveal_id}"),
        "password_reset",
    ))
}
