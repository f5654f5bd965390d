//! How the staff pages say no: a redirect to the login page (or to the password page), the
//! forbidden page, the keep-your-work page for a form sent without a session, or the error
//! page, in the reader's language — never JSON.

use actix_web::HttpResponse;
use actix_web::dev::ServiceRequest;
use actix_web::error::InternalError;
use actix_web::http::{Method, header};

use super::{PageContext, WebError};
use crate::auth::{self, Refusal, TooSlow};

/// The staff pages, as the gate sees them.
pub struct Pages;

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

impl auth::Face for Pages {
    async fn refuse(req: &mut ServiceRequest, refusal: Refusal) -> HttpResponse {
        match refusal {
            // Error pages are rendered again in the reader's language by `localise_errors`.
            Refusal::Unavailable(e) => HttpResponse::from_error(WebError::from(e)),
            Refusal::Unauthenticated if *req.method() == Method::GET => {
                let next = req
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                redirect(&format!("/login?{query}"))
            }
            // A form sent after the session ended: the page that keeps what was typed. (Page
            // resources have only GET and POST; other methods are refused 405 before this.)
            Refusal::Unauthenticated => super::keep_work::signed_out_post(req).await,
            Refusal::MustChangePassword => redirect("/account/password"),
            Refusal::Forbidden(_) | Refusal::CrossSite => {
                HttpResponse::from_error(WebError::Forbidden)
            }
        }
    }

    fn too_slow(req: &actix_web::HttpRequest) -> TooSlow {
        let ctx = PageContext::of(req);
        Box::new(move |limit| {
            let error = WebError::Unavailable(format!(
                "no answer from the database within {} ms",
                limit.as_millis()
            ));
            tracing::warn!(%error, "staff page: storage unavailable");
            let response = error.page(ctx);
            InternalError::from_response(error, response).into()
        })
    }
}
