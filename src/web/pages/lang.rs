//! The language switch: a plain link, so it works without script.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::web::LANG_COOKIE;
use crate::web::i18n::Lang;

/// `?to=en&back=/firms`.
#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    to: Option<String>,
    back: Option<String>,
}

/// `GET /lang`: remembers the language in a cookie and goes back to the page.
pub async fn set_lang(query: web::Query<SwitchQuery>) -> HttpResponse {
    let q = query.into_inner();
    let lang = Lang::from_tag(q.to.as_deref().unwrap_or(""));
    let cookie = Cookie::build(LANG_COOKIE, lang.tag())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .finish();
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, local_path(q.back.as_deref())))
        .finish()
}

/// Only a path on this site: `//evil.example` or `https://…` would make the switch an open
/// redirect.
fn local_path(back: Option<&str>) -> String {
    match back {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/dashboard".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn the_switch_goes_back_only_to_a_path_on_this_site() {
        assert_eq!(local_path(Some("/firms?q=1")), "/firms?q=1");
        assert_eq!(local_path(Some("//evil.example/")), "/dashboard");
        assert_eq!(local_path(Some("https://evil.example/")), "/dashboard");
        assert_eq!(local_path(Some("/\\evil.example")), "/dashboard");
        assert_eq!(local_path(None), "/dashboard");
    }
}
