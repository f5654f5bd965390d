use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::show_tokens::tokens_page;
use crate::domain::{FieldError, Role, TokenScope};
use crate::service::{Registry, ServiceError};
use crate::web::form::FormData;
use crate::web::pages::shared::blocking;
use crate::web::{PageContext, WebError};

/// `POST /admin/tokens`: makes a token and shows its secret once. The answer is a page, not
/// a redirect: the secret is never stored, so it cannot be shown again after a GET.
#[tracing::instrument(name = "web.create_token", skip_all)]
pub async fn create_token(
    ctx: PageContext,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = ctx.accept_form(&body, Role::Admin)?;
    let scope = TokenScope::parse(form.get("scope"));
    let name = form.text("token_name");
    let actor = ctx.actor();
    let outcome = match scope {
        Ok(scope) => blocking(&registry, move |r| r.create_token(&name, scope, &actor)).await?,
        Err(_) => Err(ServiceError::Validation(
            FieldError::new("scope", "required", "choose read or write").into(),
        )),
    };
    match outcome {
        Ok(made) => {
            // A fresh, empty form under the secret, so a reload cannot post it twice unseen.
            let mut values = FormData::default();
            values.set("scope", "read");
            let secret = Some((made.token.name, made.secret));
            tokens_page(ctx, &registry, StatusCode::OK, &values, &[], secret).await
        }
        Err(ServiceError::Validation(errors)) => {
            // The service names the field `name`; the page calls it `token_name`.
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
            tokens_page(ctx, &registry, status, &form, &errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}
