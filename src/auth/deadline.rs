//! A deadline for answering: on PostgreSQL a stalled link (packets stop, the socket stays
//! open) blocks libpq inside a read that no client-side setting interrupts in time, so a
//! request whose response has not started within `database.connection_timeout_ms` is
//! answered 503 with Retry-After instead of hanging, by the face owning the path. The
//! blocked thread is left to the TCP timeouts of the connection
//! (`storage::bounded_postgres_url`).

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

use super::{ApiFace, Face};

/// How long a request may take to start its response; `None` means no deadline (SQLite,
/// whose waits are bounded by `busy_timeout_ms`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestDeadline(pub Option<Duration>);

/// Work that is meant to take long and reports its own progress: an import commit,
/// publishing or simulating a rule set over every firm.
fn is_bulk(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && matches!(
            path,
            "/admin/import" | "/api/v1/rulesets" | "/api/v1/rulesets/simulate"
        )
}

/// The middleware, given the two faces' answers; it sits outside authentication, which
/// reads the database too.
pub async fn deadline<Api: ApiFace, Pages: Face>(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limit = req
        .app_data::<RequestDeadline>()
        .and_then(|d| d.0)
        .filter(|_| !is_bulk(req.method(), req.path()));
    let Some(limit) = limit else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // The request cannot be kept for building the answer here (routing needs it unshared),
    // so the answer is prepared now (a page in the reader's language) and returned as an
    // error carrying its response.
    let too_slow = if Api::claims(req.path()) {
        Api::too_slow(req.request())
    } else {
        Pages::too_slow(req.request())
    };
    match actix_web::rt::time::timeout(limit, next.call(req)).await {
        Ok(response) => response.map(ServiceResponse::map_into_boxed_body),
        Err(_) => Err(too_slow(limit)),
    }
}
