//! Who may call what: every route declares the role it needs, in one table.
//!
//! The authentication middleware looks a request up here by method and route pattern.
//! Anything not listed needs an admin: a route added without an entry is closed, not open
//! (deny by default). `tests/api/access.rs` calls every entry as every kind of caller.

use actix_web::http::Method;

use crate::domain::Role;

/// What a route needs from its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, without credentials (probes, the login page, the API description).
    Public,
    /// Counts, flows and targets: public when `auth.public_counts` is on, else a viewer.
    Counts,
    /// Any logged-in staff member, even one who must still change a one-time password
    /// (logging out, changing the password). Tokens do not qualify.
    Signed,
    /// This role or a higher one (a token reaches viewer or editor by its scope).
    Role(Role),
    /// A staff page: this role or a higher one, from a staff session only (tokens are for
    /// the JSON API).
    Staff(Role),
}

const VIEWER: Need = Need::Role(Role::Viewer);
const EDITOR: Need = Need::Role(Role::Editor);
const ADMIN: Need = Need::Role(Role::Admin);
const PAGE_VIEWER: Need = Need::Staff(Role::Viewer);
const PAGE_EDITOR: Need = Need::Staff(Role::Editor);

/// Every route: method, pattern as registered (scope included), need.
pub const ROUTES: &[(&str, &str, Need)] = &[
    // Operations.
    ("GET", "/healthz", Need::Public),
    ("GET", "/readyz", Need::Public),
    ("GET", "/metrics", VIEWER),
    // The root map names the entry points; browsers are sent on to the dashboard.
    ("GET", "/", Need::Public),
    // The API's description is public: it holds no data.
    ("GET", "/api/v1/openapi.json", Need::Public),
    ("GET", "/api/v1/docs/{_:.*}", Need::Public),
    // Firms and their facts.
    ("GET", "/api/v1/firms", VIEWER),
    ("POST", "/api/v1/firms", EDITOR),
    ("GET", "/api/v1/firms/{id}", VIEWER),
    ("PATCH", "/api/v1/firms/{id}", EDITOR),
    ("GET", "/api/v1/firms/{id}/years", VIEWER),
    ("GET", "/api/v1/firms/{id}/years/{fiscal_year}", VIEWER),
    ("PUT", "/api/v1/firms/{id}/years/{fiscal_year}", EDITOR),
    ("GET", "/api/v1/firms/{id}/financings", VIEWER),
    ("POST", "/api/v1/firms/{id}/financings", EDITOR),
    (
        "GET",
        "/api/v1/firms/{id}/financings/{financing_id}",
        VIEWER,
    ),
    (
        "PATCH",
        "/api/v1/firms/{id}/financings/{financing_id}",
        EDITOR,
    ),
    (
        "DELETE",
        "/api/v1/firms/{id}/financings/{financing_id}",
        EDITOR,
    ),
    ("GET", "/api/v1/firms/{id}/certificates", VIEWER),
    ("POST", "/api/v1/firms/{id}/certificates", EDITOR),
    (
        "GET",
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        VIEWER,
    ),
    (
        "PATCH",
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        EDITOR,
    ),
    (
        "DELETE",
        "/api/v1/firms/{id}/certificates/{certificate_id}",
        EDITOR,
    ),
    ("GET", "/api/v1/firms/{id}/assessment", VIEWER),
    ("GET", "/api/v1/firms/{id}/history", VIEWER),
    // The ledger and what is counted from it.
    ("GET", "/api/v1/tier-events", VIEWER),
    ("GET", "/api/v1/tier-counts", Need::Counts),
    ("GET", "/api/v1/tier-flows", Need::Counts),
    ("GET", "/api/v1/targets", Need::Counts),
    // Rules: reading and simulating is for everyone with access; publishing is admin work.
    ("GET", "/api/v1/rulesets", VIEWER),
    ("POST", "/api/v1/rulesets", ADMIN),
    ("GET", "/api/v1/rulesets/current", VIEWER),
    ("POST", "/api/v1/rulesets/simulate", VIEWER),
    // Administration.
    ("GET", "/api/v1/audit", ADMIN),
    // Staff pages: signing in and out.
    ("GET", "/static/app.css", Need::Public),
    ("GET", "/lang", Need::Public),
    ("GET", "/login", Need::Public),
    ("POST", "/login", Need::Public),
    ("GET", "/account/password", Need::Signed),
    ("POST", "/account/password", Need::Signed),
    // Staff pages: reading and editing.
    ("GET", "/dashboard", PAGE_VIEWER),
    ("GET", "/rules", PAGE_VIEWER),
    ("GET", "/firms", PAGE_VIEWER),
    ("POST", "/firms", PAGE_EDITOR),
    ("GET", "/firms/new", PAGE_EDITOR),
    ("GET", "/firms/{id}", PAGE_VIEWER),
    ("GET", "/firms/{id}/edit", PAGE_EDITOR),
    ("POST", "/firms/{id}/edit", PAGE_EDITOR),
    ("GET", "/firms/{id}/years", PAGE_VIEWER),
    ("POST", "/firms/{id}/years", PAGE_EDITOR),
    ("GET", "/firms/{id}/financings/new", PAGE_EDITOR),
    ("POST", "/firms/{id}/financings", PAGE_EDITOR),
    (
        "GET",
        "/firms/{id}/financings/{financing_id}/edit",
        PAGE_EDITOR,
    ),
    (
        "POST",
        "/firms/{id}/financings/{financing_id}/edit",
        PAGE_EDITOR,
    ),
    (
        "GET",
        "/firms/{id}/financings/{financing_id}/withdraw",
        PAGE_EDITOR,
    ),
    (
        "POST",
        "/firms/{id}/financings/{financing_id}/withdraw",
        PAGE_EDITOR,
    ),
    ("GET", "/firms/{id}/certificates/new", PAGE_EDITOR),
    ("POST", "/firms/{id}/certificates", PAGE_EDITOR),
    (
        "GET",
        "/firms/{id}/certificates/{certificate_id}/edit",
        PAGE_EDITOR,
    ),
    (
        "POST",
        "/firms/{id}/certificates/{certificate_id}/edit",
        PAGE_EDITOR,
    ),
    (
        "GET",
        "/firms/{id}/certificates/{certificate_id}/withdraw",
        PAGE_EDITOR,
    ),
    (
        "POST",
        "/firms/{id}/certificates/{certificate_id}/withdraw",
        PAGE_EDITOR,
    ),
    // Staff pages: administration.
    ("GET", "/admin/import", Need::Staff(Role::Admin)),
    ("POST", "/admin/import", Need::Staff(Role::Admin)),
    ("GET", "/admin/tokens", Need::Staff(Role::Admin)),
    ("POST", "/admin/tokens", Need::Staff(Role::Admin)),
    (
        "POST",
        "/admin/tokens/{id}/revoke",
        Need::Staff(Role::Admin),
    ),
    ("GET", "/admin/users", Need::Staff(Role::Admin)),
    ("POST", "/admin/users", Need::Staff(Role::Admin)),
    ("POST", "/admin/users/{name}", Need::Staff(Role::Admin)),
    (
        "POST",
        "/admin/users/{name}/reset",
        Need::Staff(Role::Admin),
    ),
    ("GET", "/admin/audit", Need::Staff(Role::Admin)),
    // Last, so that a walk through the table can log out at the end.
    ("POST", "/logout", Need::Signed),
];

/// What the table says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The route exists for this method and needs this.
    Needs(Need),
    /// The resource is listed, but not with this method: answered 405 with these methods
    /// before any handler could run, whoever asks.
    MethodNotAllowed(String),
}

/// What a request needs. A path no resource matches needs nothing (it is answered 404
/// before any handler runs); a resource missing from the table needs an admin, and a
/// method missing from it is not allowed at all.
pub fn need_of(method: &Method, pattern: Option<&str>) -> Access {
    let Some(pattern) = pattern else {
        return Access::Needs(Need::Public);
    };
    let mut methods = ROUTES.iter().filter(|(_, p, _)| *p == pattern).peekable();
    if methods.peek().is_none() {
        return Access::Needs(ADMIN);
    }
    let mut allow = Vec::new();
    for (m, _, need) in methods {
        if *m == method.as_str() {
            return Access::Needs(*need);
        }
        allow.push(*m);
    }
    Access::MethodNotAllowed(allow.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlisted_resources_need_an_admin_and_unlisted_methods_are_not_allowed() {
        assert_eq!(
            need_of(&Method::GET, Some("/api/v1/secret-new-thing")),
            Access::Needs(ADMIN)
        );
        assert_eq!(
            need_of(&Method::DELETE, Some("/api/v1/firms/{id}")),
            Access::MethodNotAllowed("GET, PATCH".into())
        );
    }

    #[test]
    fn listed_routes_need_what_they_declare() {
        assert_eq!(
            need_of(&Method::GET, Some("/api/v1/firms")),
            Access::Needs(VIEWER)
        );
        assert_eq!(
            need_of(&Method::POST, Some("/api/v1/firms")),
            Access::Needs(EDITOR)
        );
        assert_eq!(
            need_of(&Method::GET, Some("/healthz")),
            Access::Needs(Need::Public)
        );
    }

    #[test]
    fn every_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (m, p, _) in ROUTES {
            assert!(seen.insert((m, p)), "{m} {p} is listed twice");
        }
    }
}
