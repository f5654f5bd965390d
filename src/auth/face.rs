//! How a face says no. The gate decides whether a request may go on; the face that owns the
//! path decides what the refusal looks like, so that `auth` names neither face.

use std::future::Future;
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::dev::ServiceRequest;

use crate::service::ServiceError;

/// Why the gate stops a request before any handler runs; answered by the face that owns
/// the path.
#[derive(Debug)]
pub enum Refusal {
    /// The caller's session or token could not be looked up (the database is busy,
    /// stalled or full).
    Unavailable(ServiceError),
    /// Not logged in.
    Unauthenticated,
    /// Logged in with a one-time password: only changing it is allowed.
    MustChangePassword,
    /// Logged in, but the role does not reach; why, in a sentence.
    Forbidden(String),
    /// A state-changing request carrying a cookie that was not sent from this site's own
    /// pages (Origin check).
    CrossSite,
}

/// What only programs run into: answered as the JSON API answers it whatever the path,
/// because a page has no page for it (and never did).
#[derive(Debug)]
pub enum ProgramRefusal {
    /// `Authorization` that is not a bearer token, or a token that matches nothing.
    BadToken,
    /// The resource does not have this method; these are the ones it has (`GET, POST`).
    MethodNotAllowed(String),
    /// Over the request budget; seconds until the window resets.
    OverBudget {
        /// Seconds until the window resets.
        retry_after: u64,
    },
}

/// The answer to a request that was not answered within its deadline, prepared before the
/// request runs (the request cannot be kept for it: routing needs it unshared).
pub type TooSlow = Box<dyn FnOnce(Duration) -> actix_web::Error>;

/// A face of the application (the JSON API, the staff pages): how it answers what the
/// gate refuses.
pub trait Face {
    /// The answer to `refusal`. It may read the request's body (a page form sent without a
    /// session is kept, not lost).
    fn refuse(req: &mut ServiceRequest, refusal: Refusal) -> impl Future<Output = HttpResponse>;

    /// Prepares the answer given if `req` is not answered within the deadline.
    fn too_slow(req: &actix_web::HttpRequest) -> TooSlow;
}

/// The face programs talk to. It owns the paths it claims (the staff pages have the rest)
/// and answers what only programs run into, on every path.
pub trait ApiFace: Face {
    /// Whether `path` is this face's.
    fn claims(path: &str) -> bool;

    /// The answer to `refusal`.
    fn refuse_program(refusal: ProgramRefusal) -> HttpResponse;
}
