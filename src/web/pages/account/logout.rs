use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::session_cookie::session_removal;
use crate::auth::{client_address, session_cookie_name};
use crate::service::Registry;
use crate::web::form::FormData;
use crate::web::pages::account::session_cookie::secure;
use crate::web::pages::shared::blocking;
use crate::web::{PageContext, WebError};

/// `POST /logout`: ends the session on the server (the cookie alone would not).
#[tracing::instrument(name = "web.logout", skip_all)]
pub async fn logout(
    ctx: PageContext,
    req: HttpRequest,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = FormData::parse(&body)?;
    ctx.verify_csrf(form.get("csrf_token"))?;
    if let Some(cookie) = req.cookie(session_cookie_name(secure(&req))) {
        let value = cookie.value().to_owned();
        let address = client_address(&req);
        blocking(&registry, move |r| r.accounts().logout(&value, &address)).await??;
    }
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login?notice=logged_out"))
        .finish();
    response
        .add_cookie(&session_removal(&req))
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("cookie: {e}")))?;
    Ok(response)
}
