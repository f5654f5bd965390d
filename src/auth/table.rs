//! A face's route table: each route is declared once, with its method, pattern and need,
//! and the handler it is served by. The face registers its actix resources from the table
//! and gives the gate the same table, so the policy cannot miss a route.

use actix_web::web;

use super::{Need, Verb};

/// A route as the gate sees it: method, pattern as registered (scope included), need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The method.
    pub verb: Verb,
    /// The pattern, as actix matches it (`/api/v1/firms/{id}`).
    pub path: &'static str,
    /// What the caller needs.
    pub need: Need,
}

impl Route {
    /// A route.
    pub const fn new(verb: Verb, path: &'static str, need: Need) -> Self {
        Self { verb, path, need }
    }

    /// The same route with its handler (`|r| r.to(firms::list_firms)`).
    pub const fn to(self, handler: fn(actix_web::Route) -> actix_web::Route) -> Endpoint {
        Endpoint {
            route: self,
            handler,
            body_limit: None,
        }
    }
}

/// A line of a face's route table: the route and what serves it.
#[derive(Clone, Copy)]
pub struct Endpoint {
    /// Method, pattern, need.
    pub route: Route,
    /// Attaches the handler to an actix route of the right method.
    pub handler: fn(actix_web::Route) -> actix_web::Route,
    /// A body limit for the whole resource other than the application's default.
    pub body_limit: Option<usize>,
}

impl Endpoint {
    /// The same endpoint, whose resource takes bodies of up to `bytes`.
    pub const fn body_limit(self, bytes: usize) -> Self {
        Self {
            body_limit: Some(bytes),
            ..self
        }
    }
}

/// The endpoints of one pattern, in table order: one actix resource.
pub struct PathRoutes<'a> {
    /// The pattern.
    pub path: &'static str,
    /// Its endpoints, one per method.
    pub endpoints: Vec<&'a Endpoint>,
}

impl PathRoutes<'_> {
    /// The methods, as `Allow` lists them (`GET, HEAD, PATCH`): every GET also answers HEAD.
    pub fn allow(&self) -> String {
        allow_list(self.endpoints.iter().map(|e| e.route.verb.as_str()))
    }

    /// The actix resource serving these endpoints.
    pub fn resource(&self) -> actix_web::Resource {
        let mut resource = web::resource(self.path);
        if let Some(limit) = self.endpoints.iter().find_map(|e| e.body_limit) {
            resource = resource.app_data(web::PayloadConfig::new(limit));
        }
        for endpoint in &self.endpoints {
            let route = web::method(endpoint.route.verb.method());
            resource = resource.route((endpoint.handler)(route));
            if endpoint.route.verb == Verb::Get {
                // RFC 9110 § 9.3.2: HEAD is GET without the content. The same handler answers
                // (status, ETag, Content-Length and all); actix leaves the body out.
                let head = web::method(actix_web::http::Method::HEAD);
                resource = resource.route((endpoint.handler)(head));
            }
        }
        resource
    }
}

/// The table grouped by pattern, in the order each pattern first appears (actix tries
/// resources in registration order: `/firms/new` must come before `/firms/{id}`).
/// Which patterns to register in one pass over the route tables.
///
/// Actix walks its resources in registration order for every request, and again each time
/// something asks for the matched pattern (the tracing span, the metrics, the gate: three
/// more walks). A fixed pattern is compared as a string; a pattern with a `{parameter}` runs
/// a regular expression. With every fixed pattern of both faces registered first, a request
/// for `/api/v1/tier-counts` or `/dashboard` meets no regular expression at all (they took
/// 40% of the CPU of a 304 answer). Order does not change what matches: a fixed path that a
/// parameter pattern would also match (`/firms/new` and `/firms/{id}`) was already listed
/// first, and no parameter pattern is shadowed by a fixed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patterns {
    /// Patterns without parameters.
    Fixed,
    /// Patterns with at least one `{parameter}`.
    WithParameters,
}

impl Patterns {
    /// Whether `path` belongs to this pass.
    pub fn includes(self, path: &str) -> bool {
        path.contains('{') == (self == Self::WithParameters)
    }
}

pub fn resources(table: &[Endpoint]) -> Vec<PathRoutes<'_>> {
    let mut groups: Vec<PathRoutes<'_>> = Vec::new();
    for endpoint in table {
        match groups.iter_mut().find(|g| g.path == endpoint.route.path) {
            Some(group) => group.endpoints.push(endpoint),
            None => groups.push(PathRoutes {
                path: endpoint.route.path,
                endpoints: vec![endpoint],
            }),
        }
    }
    groups
}

/// Methods as `Allow` names them, with HEAD after every GET.
pub fn allow_list<'a>(verbs: impl Iterator<Item = &'a str>) -> String {
    let mut allow = Vec::new();
    for verb in verbs {
        allow.push(verb);
        if verb == "GET" {
            allow.push("HEAD");
        }
    }
    allow.join(", ")
}

/// The table as the gate sees it.
pub fn routes(table: &[Endpoint]) -> Vec<Route> {
    table.iter().map(|e| e.route).collect()
}
