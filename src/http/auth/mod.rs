//! Authentication and authorization of requests: sessions, tokens, the route table,
//! CSRF origin checks, request budgets and security headers.

mod authenticate;
mod headers;
pub mod policy;
mod principal;

pub use authenticate::{AuthConfig, authenticate, session_cookie_name};
pub use headers::security_headers;
pub use policy::{Access, Need, ROUTES, need_of};
pub use principal::{Principal, client_address};
