//! Route table of the staff pages; one handler per file, grouped by area.

mod account;
mod admin;
mod assets;
mod certificates;
mod dashboard;
mod financings;
mod firms;
mod lang;
mod records;
mod rules;
mod shared;
mod years;

use actix_web::web;

use super::WebError;

/// A staff page resource: a query string that does not decode is the HTML 400 page, not
/// the API's problem+json.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).app_data(
        web::QueryConfig::default().error_handler(|_err, _req| WebError::BadRequest.into()),
    )
}

/// Registers the staff pages at the root (`/firms`, `/dashboard`, …).
// Who may open each page is declared in `http::auth::policy::ROUTES`; every handler also
// calls `ctx.require(..)` and, for POST, `ctx.verify_csrf(..)`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    let get = web::get;
    let post = web::post;
    cfg.service(resource("/static/app.css").route(get().to(assets::app_css)))
        .service(resource("/lang").route(get().to(lang::set_lang)))
        .service(
            resource("/login")
                .route(get().to(account::show_login))
                .route(post().to(account::login)),
        )
        .service(resource("/logout").route(post().to(account::logout)))
        .service(
            resource("/account/password")
                .route(get().to(account::show_password))
                .route(post().to(account::change_password)),
        )
        .service(resource("/dashboard").route(get().to(dashboard::show_dashboard)))
        .service(resource("/rules").route(get().to(rules::show_rules)))
        .service(
            resource("/firms")
                .route(get().to(firms::list_firms))
                .route(post().to(firms::create_firm)),
        )
        // Before `/firms/{id}`, which would otherwise claim "new".
        .service(resource("/firms/new").route(get().to(firms::new_firm)))
        .service(resource("/firms/{id}").route(get().to(firms::show_firm)))
        .service(
            resource("/firms/{id}/edit")
                .route(get().to(firms::edit_firm))
                .route(post().to(firms::update_firm)),
        )
        .service(
            resource("/firms/{id}/years")
                .route(get().to(years::show_years))
                .route(post().to(years::put_year)),
        )
        .service(resource("/firms/{id}/financings/new").route(get().to(financings::new_financing)))
        .service(resource("/firms/{id}/financings").route(post().to(financings::create_financing)))
        .service(
            resource("/firms/{id}/financings/{financing_id}/edit")
                .route(get().to(financings::edit_financing))
                .route(post().to(financings::update_financing)),
        )
        .service(
            resource("/firms/{id}/financings/{financing_id}/withdraw")
                .route(get().to(financings::confirm_withdraw_financing))
                .route(post().to(financings::withdraw_financing)),
        )
        .service(
            resource("/firms/{id}/certificates/new").route(get().to(certificates::new_certificate)),
        )
        .service(
            resource("/firms/{id}/certificates").route(post().to(certificates::create_certificate)),
        )
        .service(
            resource("/firms/{id}/certificates/{certificate_id}/edit")
                .route(get().to(certificates::edit_certificate))
                .route(post().to(certificates::update_certificate)),
        )
        .service(
            resource("/firms/{id}/certificates/{certificate_id}/withdraw")
                .route(get().to(certificates::confirm_withdraw_certificate))
                .route(post().to(certificates::withdraw_certificate)),
        )
        .service(
            resource("/admin/import")
                // Files are larger than the 64 KiB other bodies may be.
                .app_data(web::PayloadConfig::new(admin::MAX_UPLOAD))
                .route(get().to(admin::show_import))
                .route(post().to(admin::import)),
        )
        .service(
            resource("/admin/tokens")
                .route(get().to(admin::show_tokens))
                .route(post().to(admin::create_token)),
        )
        .service(resource("/admin/tokens/{id}/revoke").route(post().to(admin::revoke_token)))
        .service(
            resource("/admin/users")
                .route(get().to(admin::show_users))
                .route(post().to(admin::add_user)),
        )
        .service(resource("/admin/users/{name}").route(post().to(admin::update_user)))
        .service(resource("/admin/users/{name}/reset").route(post().to(admin::reset_password)))
        .service(resource("/admin/audit").route(get().to(admin::show_audit)));
}
