//! Who may call what: the need of every route, merged at start-up from the faces' route
//! tables (`http::routes::table`, `web::pages::table`), where each route is declared once.
//!
//! The authentication middleware looks a request up here by method and route pattern.
//! Anything not listed needs an admin: a route added without an entry is closed, not open
//! (deny by default). `tests/api/access.rs` calls every entry as every kind of caller.

use actix_web::http::Method;

use super::Route;
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

impl Need {
    /// A viewer, by session or token.
    pub const VIEWER: Need = Need::Role(Role::Viewer);
    /// An editor, by session or token.
    pub const EDITOR: Need = Need::Role(Role::Editor);
    /// An admin, by session or token.
    pub const ADMIN: Need = Need::Role(Role::Admin);
}

/// The methods routes are declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Verb {
    /// The method's name, as in `Allow`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The method.
    pub fn method(self) -> Method {
        match self {
            Self::Get => Method::GET,
            Self::Post => Method::POST,
            Self::Put => Method::PUT,
            Self::Patch => Method::PATCH,
            Self::Delete => Method::DELETE,
        }
    }
}

/// What the policy says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The route exists for this method and needs this.
    Needs(Need),
    /// The resource is listed, but not with this method: answered 405 with these methods
    /// before any handler could run, whoever asks.
    MethodNotAllowed(String),
}

/// Every route of every face: method, pattern as registered (scope included), need.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    routes: Vec<(&'static str, &'static str, Need)>,
}

impl Policy {
    /// The faces' routes, in the order given.
    pub fn new(routes: impl IntoIterator<Item = Route>) -> Self {
        let routes = routes
            .into_iter()
            .map(|r| (r.verb.as_str(), r.path, r.need))
            .collect();
        Self { routes }
    }

    /// Every route: method, pattern, need, in the tables' order.
    pub fn routes(&self) -> &[(&'static str, &'static str, Need)] {
        &self.routes
    }

    /// What a request needs. A path no resource matches needs nothing (it is answered 404
    /// before any handler runs); a resource missing from the tables needs an admin, and a
    /// method missing from them is not allowed at all.
    pub fn need_of(&self, method: &Method, pattern: Option<&str>) -> Access {
        let Some(pattern) = pattern else {
            return Access::Needs(Need::Public);
        };
        let mut methods = self
            .routes
            .iter()
            .filter(|(_, p, _)| *p == pattern)
            .peekable();
        if methods.peek().is_none() {
            return Access::Needs(Need::ADMIN);
        }
        // HEAD is a GET without the content (every GET route answers it), so it needs what
        // the GET needs.
        let asked = if method == Method::HEAD {
            "GET"
        } else {
            method.as_str()
        };
        let mut allow = Vec::new();
        for (m, _, need) in methods {
            if *m == asked {
                return Access::Needs(*need);
            }
            allow.push(*m);
        }
        Access::MethodNotAllowed(super::table::allow_list(allow.into_iter()))
    }

    /// Routes listed more than once (`GET /firms`), which the tables must not have.
    pub fn duplicates(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.routes
            .iter()
            .filter(|(m, p, _)| !seen.insert((*m, *p)))
            .map(|(m, p, _)| format!("{m} {p}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Route] = &[
        Route::new(Verb::Get, "/healthz", Need::Public),
        Route::new(Verb::Get, "/api/v1/firms", Need::VIEWER),
        Route::new(Verb::Post, "/api/v1/firms", Need::EDITOR),
        Route::new(Verb::Get, "/api/v1/firms/{id}", Need::VIEWER),
        Route::new(Verb::Patch, "/api/v1/firms/{id}", Need::EDITOR),
    ];

    #[test]
    fn unlisted_resources_need_an_admin_and_unlisted_methods_are_not_allowed() {
        let policy = Policy::new(TABLE.iter().copied());
        assert_eq!(
            policy.need_of(&Method::GET, Some("/api/v1/secret-new-thing")),
            Access::Needs(Need::ADMIN)
        );
        assert_eq!(
            policy.need_of(&Method::DELETE, Some("/api/v1/firms/{id}")),
            Access::MethodNotAllowed("GET, HEAD, PATCH".into())
        );
    }

    #[test]
    fn listed_routes_need_what_they_declare() {
        let policy = Policy::new(TABLE.iter().copied());
        assert_eq!(
            policy.need_of(&Method::GET, Some("/api/v1/firms")),
            Access::Needs(Need::VIEWER)
        );
        assert_eq!(
            policy.need_of(&Method::POST, Some("/api/v1/firms")),
            Access::Needs(Need::EDITOR)
        );
        assert_eq!(
            policy.need_of(&Method::GET, Some("/healthz")),
            Access::Needs(Need::Public)
        );
    }

    #[test]
    fn a_route_listed_by_two_tables_is_reported() {
        let policy = Policy::new(TABLE.iter().chain(&TABLE[..1]).copied());
        assert_eq!(policy.duplicates(), vec!["GET /healthz".to_owned()]);
    }
}
