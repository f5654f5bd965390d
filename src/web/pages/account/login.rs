use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::session_cookie::{LOGIN_COOKIE, safe_next, session};
use super::show_login::LoginPage;
use crate::auth::client_address;
use crate::service::{Registry, ServiceError, same_secret};
use crate::web::form::FormData;
use crate::web::pages::shared::blocking;
use crate::web::render::render;
use crate::web::{PageContext, WebError};

/// `POST /login`: checks the password and starts a session with a new id; a one-time
/// password leads to the password page first.
#[tracing::instrument(name = "web.login", skip_all)]
pub async fn login(
    ctx: PageContext,
    req: HttpRequest,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = FormData::parse(&body)?;
    let cookie_token = req.cookie(LOGIN_COOKIE).map(|c| c.value().to_owned());
    let token_ok = cookie_token
        .as_deref()
        .is_some_and(|t| !t.is_empty() && same_secret(t, form.get("csrf_token")));
    if !token_ok {
        return Err(WebError::Forbidden);
    }
    let next = safe_next(form.get("next")).to_owned();
    let username = form.text("username");
    let password = form.text("password");
    let address = client_address(&req);
    let name = username.clone();
    let outcome = blocking(&registry, move |r| {
        r.accounts().login(&name, &password, &address)
    })
    .await?;
    let (status, error, retry_after) = match outcome {
        Ok(issued) => {
            let to = if issued.session.user.must_change_password {
                "/account/password".to_owned()
            } else {
                next
            };
            let mut response = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to))
                .finish();
            response
                .add_cookie(&session(&req, issued.cookie_value))
                .map_err(|e| WebError::Unexpected(anyhow::anyhow!("cookie: {e}")))?;
            return Ok(response);
        }
        Err(ServiceError::InvalidCredentials) => {
            (StatusCode::UNAUTHORIZED, "account.wrong_credentials", None)
        }
        Err(ServiceError::TooManyAttempts { retry_after }) => (
            StatusCode::TOO_MANY_REQUESTS,
            "account.too_many_attempts",
            Some(retry_after),
        ),
        Err(other) => return Err(other.into()),
    };
    let mut response = render(
        status,
        &LoginPage {
            ctx,
            login_token: cookie_token.unwrap_or_default(),
            next,
            username,
            error: Some(error),
            retry_after,
        },
    )?;
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Ok(response)
}
