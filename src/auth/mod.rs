//! The gate both faces share, between a request and its handler: who is calling (sessions
//! and tokens, looked up through the service), what each route needs (the policy, merged at
//! start-up from the faces' route tables), the Origin check, request budgets, the answering
//! deadline and the security headers.
//!
//! `auth` names neither face. Each face says no its own way through [`Face`]: problem+json
//! for the JSON API, a redirect or a page in the reader's language for the staff pages.

mod authenticate;
mod budget;
mod config;
mod credentials;
mod deadline;
mod face;
mod headers;
mod policy;
mod principal;
mod table;

pub use authenticate::authenticate;
pub use config::{AuthConfig, session_cookie_name};
pub use deadline::{RequestDeadline, deadline};
pub use face::{ApiFace, Face, ProgramRefusal, Refusal, TooSlow};
pub use headers::{CSP, PAGE_CSP, security_headers};
pub use policy::{Access, Need, Policy, Verb};
pub use principal::{Principal, client_address};
pub use table::{Endpoint, PathRoutes, Patterns, Route, resources, routes};
