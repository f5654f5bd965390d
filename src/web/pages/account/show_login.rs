use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::session_cookie::{LOGIN_COOKIE, login_token, safe_next};
use crate::service::random_token_hex;
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// The login page.
#[derive(Template)]
#[template(path = "account/login.html")]
pub struct LoginPage {
    pub ctx: PageContext,
    /// The form's token (also in the `tr_login` cookie).
    pub login_token: String,
    /// Where to go afterwards.
    pub next: String,
    /// What was typed as the username.
    pub username: String,
    /// A catalogue key of what went wrong, if anything.
    pub error: Option<&'static str>,
    /// Seconds to wait, after too many failures.
    pub retry_after: Option<u64>,
}

/// The login form's token for this browser: the one in its cookie, or a new one.
pub fn form_token(req: &HttpRequest) -> Result<(String, bool), WebError> {
    match req.cookie(LOGIN_COOKIE) {
        Some(c) if c.value().len() == 64 => Ok((c.value().to_owned(), false)),
        _ => Ok((
            random_token_hex(32).map_err(|e| WebError::Unexpected(e.into()))?,
            true,
        )),
    }
}

/// `GET /login`.
#[tracing::instrument(name = "web.show_login", skip_all)]
pub async fn show_login(ctx: PageContext, req: HttpRequest) -> Result<HttpResponse, WebError> {
    let (token, fresh) = form_token(&req)?;
    let next = query_next(&req);
    let mut response = ok(&LoginPage {
        ctx,
        login_token: token.clone(),
        next,
        username: String::new(),
        error: None,
        retry_after: None,
    })?;
    if fresh {
        response
            .add_cookie(&login_token(&req, token))
            .map_err(|e| WebError::Unexpected(anyhow::anyhow!("cookie: {e}")))?;
    }
    Ok(response)
}

fn query_next(req: &HttpRequest) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "next"))
        .map_or_else(
            || "/dashboard".to_owned(),
            |(_, v)| safe_next(&v).to_owned(),
        )
}
