use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::show_tokens::tokens_page;
use crate::domain::{FieldError, Role, TokenScope};
use crate::service::{Created, Registry, ServiceError};
use crate::web::form_key;
use crate::web::memory::{PageMemory, Reveal};
use crate::web::pages::shared::blocking;
use crate::web::render::see_other;
use crate::web::{PageContext, WebError};

/// `POST /admin/tokens`: makes a token once per form and redirects to the tokens page, which
/// shows its secret once. A resubmitted form makes no second token and lands on the same
/// page, which then says the token exists and its secret is gone.
#[tracing::instrument(name = "web.create_token", skip_all)]
pub async fn create_token(
    ctx: PageContext,
    registry: web::Data<Registry>,
    memory: web::Data<PageMemory>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Admin)?;
    let key = form_key::posted(&ctx, &form)?;
    let reveal_id = form_key::reveal_id(&form);
    let scope = TokenScope::parse(form.get("scope"));
    let name = form.text("token_name");
    let actor = ctx.actor();
    let owner = actor.clone();
    let outcome = match scope {
        Ok(scope) => {
            blocking(&registry, move |r| {
                r.accounts()
                    .create_token_once(&name, scope, &actor, key.as_ref())
            })
            .await?
        }
        Err(_) => Err(ServiceError::Validation(
            FieldError::new("scope", "required", "choose read or write").into(),
        )),
    };
    let shown_at = format!("/admin/tokens?created={reveal_id}");
    match outcome {
        Ok(Created::New(made)) => {
            memory.put_reveal(
                &reveal_id,
                Reveal {
                    owner,
                    label: made.token.name,
                    secret: made.secret,
                },
            );
            Ok(see_other(&shown_at, "token_created"))
        }
        Ok(Created::Replayed(_)) => Ok(see_other(&shown_at, "token_created")),
        Err(ServiceError::Validation(errors)) => {
            let errors: Vec<FieldError> = errors
                .0
                .into_iter()
                .map(|mut e| {
                    if e.field == "name" {
                        e.field = "token_name".into();
                    }
                    e
                })
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            tokens_page(ctx, &registry, status, &form, &errors, Shown::Nothing).await
        }
        Err(other) => Err(other.into()),
    }
}

/// What the tokens page shows above its table.
pub enum Shown {
    /// No token was just made.
    Nothing,
    /// The secret of the token just made, this once.
    Secret(Reveal),
    /// The token was made and its secret already shown.
    Gone,
}
