//! The route table of the staff pages: each page's method, pattern, need and handler,
//! declared once. The actix resources and the gate's policy are both built from it. Every
//! handler also calls `ctx.require(..)` and, for POST, `ctx.verify_csrf(..)`.

use actix_web::web;

use super::{
    account, admin, alerts, assets, certificates, dashboard, events, financings, firms, lang,
    rules, targets, years,
};
use crate::auth::{self, Endpoint, Need, Route, Verb::*};
use crate::domain::Role;
use crate::web::WebError;

const PUBLIC: Need = Need::Public;
const SIGNED: Need = Need::Signed;
const VIEWER: Need = Need::Staff(Role::Viewer);
const EDITOR: Need = Need::Staff(Role::Editor);
const ADMIN: Need = Need::Staff(Role::Admin);

/// Every staff page, mounted at the root. Order matters twice: actix tries resources in
/// this order (`/firms/new` before `/firms/{id}`), and `tests/api/access.rs` walks the
/// table in it (`/logout` last).
pub const PAGES: &[Endpoint] = &[
    // Signing in and out.
    Route::new(Get, "/static/app.css", PUBLIC).to(|r| r.to(assets::app_css)),
    Route::new(Get, "/lang", PUBLIC).to(|r| r.to(lang::set_lang)),
    Route::new(Get, "/login", PUBLIC).to(|r| r.to(account::show_login)),
    Route::new(Post, "/login", PUBLIC).to(|r| r.to(account::login)),
    Route::new(Get, "/account/password", SIGNED).to(|r| r.to(account::show_password)),
    Route::new(Post, "/account/password", SIGNED).to(|r| r.to(account::change_password)),
    // Reading and editing.
    Route::new(Get, "/dashboard", VIEWER).to(|r| r.to(dashboard::show_dashboard)),
    Route::new(Get, "/dashboard.xlsx", VIEWER).to(|r| r.to(dashboard::download_dashboard)),
    Route::new(Get, "/targets", VIEWER).to(|r| r.to(targets::show_targets)),
    Route::new(Get, "/targets/{id}/firms", VIEWER).to(|r| r.to(targets::show_target_firms)),
    Route::new(Get, "/targets/{id}/firms.xlsx", VIEWER)
        .to(|r| r.to(targets::download_target_firms)),
    Route::new(Get, "/targets/{id}/near-misses.xlsx", VIEWER)
        .to(|r| r.to(targets::download_near_misses)),
    Route::new(Get, "/targets/{id}/near-misses", VIEWER).to(|r| r.to(targets::show_near_misses)),
    Route::new(Get, "/alerts", VIEWER).to(|r| r.to(alerts::show_alerts)),
    Route::new(Get, "/events", VIEWER).to(|r| r.to(events::show_events)),
    Route::new(Get, "/alerts.xlsx", VIEWER).to(|r| r.to(alerts::download_alerts)),
    Route::new(Get, "/rules", VIEWER).to(|r| r.to(rules::show_rules)),
    Route::new(Get, "/firms", VIEWER).to(|r| r.to(firms::list_firms)),
    Route::new(Get, "/firms.xlsx", VIEWER).to(|r| r.to(firms::download_firms)),
    Route::new(Post, "/firms", EDITOR).to(|r| r.to(firms::create_firm)),
    // Before `/firms/{id}`, which would otherwise claim "new".
    Route::new(Get, "/firms/new", EDITOR).to(|r| r.to(firms::new_firm)),
    Route::new(Get, "/firms/{id}", VIEWER).to(|r| r.to(firms::show_firm)),
    Route::new(Get, "/firms/{id}/edit", EDITOR).to(|r| r.to(firms::edit_firm)),
    Route::new(Post, "/firms/{id}/edit", EDITOR).to(|r| r.to(firms::update_firm)),
    Route::new(Get, "/firms/{id}/years", VIEWER).to(|r| r.to(years::show_years)),
    Route::new(Post, "/firms/{id}/years", EDITOR).to(|r| r.to(years::put_year)),
    Route::new(Get, "/firms/{id}/financings/new", EDITOR).to(|r| r.to(financings::new_financing)),
    Route::new(Post, "/firms/{id}/financings", EDITOR).to(|r| r.to(financings::create_financing)),
    Route::new(Get, "/firms/{id}/financings/{financing_id}/edit", EDITOR)
        .to(|r| r.to(financings::edit_financing)),
    Route::new(Post, "/firms/{id}/financings/{financing_id}/edit", EDITOR)
        .to(|r| r.to(financings::update_financing)),
    Route::new(
        Get,
        "/firms/{id}/financings/{financing_id}/withdraw",
        EDITOR,
    )
    .to(|r| r.to(financings::confirm_withdraw_financing)),
    Route::new(
        Post,
        "/firms/{id}/financings/{financing_id}/withdraw",
        EDITOR,
    )
    .to(|r| r.to(financings::withdraw_financing)),
    Route::new(Get, "/firms/{id}/certificates/new", EDITOR)
        .to(|r| r.to(certificates::new_certificate)),
    Route::new(Post, "/firms/{id}/certificates", EDITOR)
        .to(|r| r.to(certificates::create_certificate)),
    Route::new(
        Get,
        "/firms/{id}/certificates/{certificate_id}/edit",
        EDITOR,
    )
    .to(|r| r.to(certificates::edit_certificate)),
    Route::new(
        Post,
        "/firms/{id}/certificates/{certificate_id}/edit",
        EDITOR,
    )
    .to(|r| r.to(certificates::update_certificate)),
    Route::new(
        Get,
        "/firms/{id}/certificates/{certificate_id}/withdraw",
        EDITOR,
    )
    .to(|r| r.to(certificates::confirm_withdraw_certificate)),
    Route::new(
        Post,
        "/firms/{id}/certificates/{certificate_id}/withdraw",
        EDITOR,
    )
    .to(|r| r.to(certificates::withdraw_certificate)),
    // Administration. Files are larger than the 64 KiB other bodies may be.
    Route::new(Get, "/admin/import", ADMIN)
        .to(|r| r.to(admin::show_import))
        .body_limit(admin::MAX_UPLOAD),
    Route::new(Post, "/admin/import", ADMIN).to(|r| r.to(admin::import)),
    Route::new(Get, "/admin/tokens", ADMIN).to(|r| r.to(admin::show_tokens)),
    Route::new(Post, "/admin/tokens", ADMIN).to(|r| r.to(admin::create_token)),
    Route::new(Post, "/admin/tokens/{id}/revoke", ADMIN).to(|r| r.to(admin::revoke_token)),
    Route::new(Get, "/admin/users", ADMIN).to(|r| r.to(admin::show_users)),
    Route::new(Post, "/admin/users", ADMIN).to(|r| r.to(admin::add_user)),
    Route::new(Post, "/admin/users/{name}", ADMIN).to(|r| r.to(admin::update_user)),
    Route::new(Post, "/admin/users/{name}/reset", ADMIN).to(|r| r.to(admin::reset_password)),
    Route::new(Get, "/admin/audit", ADMIN).to(|r| r.to(admin::show_audit)),
    // Last, so that a walk through the table can log out at the end.
    Route::new(Post, "/logout", SIGNED).to(|r| r.to(account::logout)),
];

/// Every staff page, as the gate's policy lists them.
pub fn access_routes() -> Vec<Route> {
    auth::routes(PAGES)
}

/// Registers the staff pages at the root (`/firms`, `/dashboard`, …) whose patterns are of
/// the kind `patterns` names (see [`auth::Patterns`]). A query string that does not decode
/// is the HTML 400 page, not the API's problem+json.
pub fn configure(cfg: &mut web::ServiceConfig, patterns: auth::Patterns) {
    for resource in auth::resources(PAGES)
        .into_iter()
        .filter(|r| patterns.includes(r.path))
    {
        cfg.service(resource.resource().app_data(
            web::QueryConfig::default().error_handler(|_err, _req| WebError::BadRequest.into()),
        ));
    }
}
