use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::session_cookie::session;
use super::show_password::PasswordPage;
use crate::auth::client_address;
use crate::domain::FieldError;
use crate::service::{Registry, ServiceError};
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::shared::blocking;
use crate::web::render::render;
use crate::web::{PageContext, WebError};

/// The password fields with `errors` beside them. Passwords typed are never sent back.
pub fn fields(ctx: &PageContext, errors: &[FieldError]) -> FormView {
    let empty = FormData::default();
    FormBuilder::new(ctx, &empty, errors)
        .text("current_password", true)
        .text("new_password", true)
        .text("confirm_password", true)
        .finish()
}

/// `POST /account/password`: replaces the password, ends every session of the account and
/// starts a new one for this browser.
#[tracing::instrument(name = "web.change_password", skip_all)]
pub async fn change_password(
    ctx: PageContext,
    req: HttpRequest,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = FormData::parse(&body)?;
    ctx.verify_csrf(form.get("csrf_token"))?;
    let Some(staff) = ctx.staff.clone() else {
        return Err(WebError::Forbidden);
    };
    let (current, new) = (form.text("current_password"), form.text("new_password"));
    if new != form.get("confirm_password") {
        let error = FieldError::new(
            "confirm_password",
            "passwords_differ",
            "the two new passwords differ",
        );
        let form = fields(&ctx, &[error]);
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage { ctx, form },
        );
    }
    let address = client_address(&req);
    let username = staff.username.clone();
    let outcome = blocking(&registry, move |r| {
        r.accounts()
            .change_password(&username, &current, &new, Some(&address))?;
        r.accounts().login(&username, &new, &address)
    })
    .await?;
    match outcome {
        Ok(issued) => {
            let mut response = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/dashboard?notice=password_changed"))
                .finish();
            response
                .add_cookie(&session(&req, issued.cookie_value))
                .map_err(|e| WebError::Unexpected(anyhow::anyhow!("cookie: {e}")))?;
            Ok(response)
        }
        Err(ServiceError::Validation(errors)) => {
            let form = fields(&ctx, &errors.0);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordPage { ctx, form },
            )
        }
        Err(other) => Err(other.into()),
    }
}
