//! The cookies of logging in: the session, and the login form's own CSRF token.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, web};

use crate::auth::{AuthConfig, session_cookie_name};

/// The login form's token cookie: a login has no session yet, so the form's token is
/// checked against this cookie instead (double submit), which a cross-site page can
/// neither read nor set.
pub const LOGIN_COOKIE: &str = "tr_login";

/// Whether cookies are marked Secure (served over TLS).
pub fn secure(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<AuthConfig>>()
        .is_some_and(|c| c.secure_cookies)
}

fn base(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    // Lax: the cookie still comes along when a staff member follows a link to the registry
    // from mail or chat; writes are protected by the form token and the Origin check.
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

/// The session cookie for `value`; it lives as long as the browser (the server ends the
/// session after the idle or absolute limit).
pub fn session(req: &HttpRequest, value: String) -> Cookie<'static> {
    let secure = secure(req);
    base(session_cookie_name(secure), value, secure)
}

/// A cookie that removes the session cookie.
pub fn session_removal(req: &HttpRequest) -> Cookie<'static> {
    let mut cookie = session(req, String::new());
    cookie.make_removal();
    cookie
}

/// The login form's token cookie.
pub fn login_token(req: &HttpRequest, value: String) -> Cookie<'static> {
    let mut cookie = base(LOGIN_COOKIE, value, secure(req));
    cookie.set_max_age(time::Duration::hours(1));
    cookie
}

/// Where to go after logging in: only a path on this site (never `//host` or a URL).
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if local && !next.starts_with("/login") {
        next
    } else {
        "/dashboard"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/firms?q=1"), "/firms?q=1");
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "/login",
        ] {
            assert_eq!(safe_next(bad), "/dashboard", "{bad}");
        }
    }
}
