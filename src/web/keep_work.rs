//! Forms that outlive their session. A form posted after the session ended (expired, logged
//! out), or with the token of a session that has ended since the form was opened, writes
//! nothing, as before; but instead of a bare refusal the clerk gets a page that shows what
//! they typed, keeps it on the server under a random id, and leads back (through the login
//! page when needed) to the same form filled in again. The restored form carries the new
//! session's token and must be submitted by hand: nothing is ever sent on the clerk's behalf.
//!
//! Passwords, form tokens and files are never kept.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;

use super::PageContext;
use super::context::url_encode;
use super::form::FormData;
use super::form_key;
use super::memory::{Draft, PageMemory};
use super::render::secure_headers;

/// The cookie naming the browser's latest kept form: a kept form is only restored in the
/// browser that posted it, so a link with someone else's draft id fills in nothing.
pub const DRAFT_COOKIE: &str = "tr_draft";

/// The query parameter that asks a form page to fill in a kept form.
const DRAFT_PARAM: &str = "draft";

/// The page a form posted to `path` is shown on, and whether its values can be filled in
/// there again. `None`: not a staff form.
fn form_page(path: &str, fields: &[(String, String)]) -> Option<(String, bool)> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let page = match parts.as_slice() {
        ["firms"] => ("/firms/new".to_owned(), true),
        ["firms", id, "edit"] => (format!("/firms/{id}/edit"), true),
        ["firms", id, "years"] => {
            let year = fields
                .iter()
                .find(|(k, _)| k == "fiscal_year")
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_alphanumeric()));
            match year {
                Some(y) => (format!("/firms/{id}/years?year={}", url_encode(y)), true),
                None => (format!("/firms/{id}/years"), true),
            }
        }
        ["firms", id, "financings"] => (format!("/firms/{id}/financings/new"), true),
        ["firms", id, "certificates"] => (format!("/firms/{id}/certificates/new"), true),
        ["admin", "tokens"] => ("/admin/tokens".to_owned(), true),
        ["admin", "users"] => ("/admin/users".to_owned(), true),
        // Buttons on a list: nothing typed to keep.
        ["admin", "tokens", ..] => ("/admin/tokens".to_owned(), false),
        ["admin", "users", ..] => ("/admin/users".to_owned(), false),
        // A file cannot be put back into a file field; passwords are never kept.
        ["admin", "import"] => ("/admin/import".to_owned(), false),
        ["account", "password"] => ("/account/password".to_owned(), false),
        _ => return None,
    };
    Some(page)
}

/// Fields worth keeping: never the token, never a password.
fn keepable(name: &str) -> bool {
    name != "csrf_token" && !name.contains("password")
}

/// A kept value as the page lists it.
pub struct KeptValue {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "keep_work.html")]
struct KeepWorkPage {
    ctx: PageContext,
    signed_in: bool,
    values: Vec<KeptValue>,
    /// Where the clerk goes on: the login page (then the form), or the form.
    next: String,
}

/// The page for a form that arrived without a live session (`signed_in` false) or with the
/// token of an ended one (`signed_in` true): nothing was written; what was typed is kept.
pub fn keep_work_page(req: &HttpRequest, body: &[u8], signed_in: bool) -> HttpResponse {
    let ctx = PageContext::of(req);
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let fields: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| keepable(k)).collect();
    let (page, restorable) =
        form_page(req.path(), &fields).unwrap_or_else(|| ("/dashboard".to_owned(), false));
    let memory = req.app_data::<web::Data<PageMemory>>();
    let kept = match memory {
        Some(memory) if restorable && !fields.is_empty() => {
            let id = form_key::new_key();
            memory.put_draft(
                &id,
                Draft {
                    form_page: page.clone(),
                    fields: fields.clone(),
                },
            );
            Some(id)
        }
        _ => None,
    };
    let back = match &kept {
        Some(id) => {
            let sep = if page.contains('?') { '&' } else { '?' };
            format!("{page}{sep}{DRAFT_PARAM}={id}")
        }
        None => page,
    };
    let next = if signed_in {
        back
    } else {
        format!("/login?next={}", url_encode(&back))
    };
    let values = fields
        .iter()
        .filter(|(k, v)| k != form_key::FIELD && k != "version" && !v.trim().is_empty())
        .map(|(k, v)| KeptValue {
            label: ctx.label("field", k),
            value: v.clone(),
        })
        .collect();
    let status = if signed_in {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNAUTHORIZED
    };
    let html = KeepWorkPage {
        ctx,
        signed_in,
        values,
        next,
    }
    .render()
    .unwrap_or_else(|_| "请重新登录后再提交。".to_owned());
    let mut response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html);
    if let Some(id) = kept {
        let secure = req
            .app_data::<web::Data<crate::auth::AuthConfig>>()
            .is_some_and(|c| c.secure_cookies);
        let mut cookie = Cookie::build(DRAFT_COOKIE, id)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        cookie.set_max_age(time::Duration::hours(2));
        let _ = response.add_cookie(&cookie);
    }
    secure_headers(response.headers_mut());
    response
}

/// A page form posted without a live session: `/logout` simply goes to the login page;
/// every other form gets the keep-your-work page. Runs in the authentication middleware,
/// before any handler.
pub(super) async fn signed_out_post(req: &mut actix_web::dev::ServiceRequest) -> HttpResponse {
    if req.path() == "/logout" {
        return HttpResponse::SeeOther()
            .insert_header((
                actix_web::http::header::LOCATION,
                "/login?notice=logged_out",
            ))
            .finish();
    }
    // An upload is a file, not typed values: it is not read at all.
    let urlencoded = req
        .content_type()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded");
    let body = if urlencoded {
        req.extract::<web::Bytes>().await.unwrap_or_default()
    } else {
        web::Bytes::new()
    };
    keep_work_page(req.request(), &body, false)
}

/// The kept form a form page is asked to fill in (`?draft=…`), if this browser kept it for
/// this very page.
pub fn restored(req: &HttpRequest) -> Option<FormData> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).ok()?;
    let id = pairs
        .into_iter()
        .find(|(k, _)| k == DRAFT_PARAM)
        .map(|(_, v)| v)?;
    let cookie = req.cookie(DRAFT_COOKIE)?;
    if !crate::service::same_secret(cookie.value(), &id) {
        return None;
    }
    let draft = req.app_data::<web::Data<PageMemory>>()?.draft(&id)?;
    let page_path = draft.form_page.split('?').next().unwrap_or("");
    if page_path != req.path() {
        return None;
    }
    let mut form = FormData::default();
    for (k, v) in draft.fields {
        if k != form_key::FIELD {
            form.set(&k, v);
        }
    }
    Some(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_form_goes_back_to_its_year_and_buttons_keep_nothing() {
        let fields = vec![("fiscal_year".to_owned(), "2024".to_owned())];
        let id = "0190b5d4-0000-7000-8000-000000000000";
        assert_eq!(
            form_page(&format!("/firms/{id}/years"), &fields),
            Some((format!("/firms/{id}/years?year=2024"), true))
        );
        assert_eq!(
            form_page("/admin/users/ann/reset", &[]),
            Some(("/admin/users".to_owned(), false))
        );
        assert_eq!(form_page("/api/v1/firms", &[]), None);
    }

    #[test]
    fn tokens_and_passwords_are_never_kept() {
        assert!(!keepable("csrf_token"));
        assert!(!keepable("new_password"));
        assert!(keepable("revenue"));
    }
}
