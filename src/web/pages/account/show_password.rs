use actix_web::HttpResponse;
use askama::Template;

use crate::web::form::FormView;
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// The password page.
#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    pub ctx: PageContext,
    /// The fields and their errors.
    pub form: FormView,
}

/// `GET /account/password`.
#[tracing::instrument(name = "web.show_password", skip_all)]
pub async fn show_password(ctx: PageContext) -> Result<HttpResponse, WebError> {
    let form = super::change_password::fields(&ctx, &[]);
    ok(&PasswordPage { ctx, form })
}
