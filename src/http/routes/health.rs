//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::http::problem::ApiError;
use crate::service::Registry;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Alive")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// The database answers; 503 with Retry-After otherwise. The body also says how far the
/// daily time-passing job has got: `behind` while a day before yesterday is not yet
/// recorded (writes that reclassify firms wait for it; reads are served).
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready; `time_passing.state` is `current` or `behind`"),
    (status = 503, description = "The database does not answer"),
))]
pub async fn readyz(registry: web::Data<Registry>) -> Result<HttpResponse, ApiError> {
    let lag = crate::telemetry::blocking(move || {
        registry.ping()?;
        registry.time().lag()
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ready",
        "database": "ok",
        "time_passing": {
            "state": if lag.is_behind() { "behind" } else { "current" },
            "covered_through": lag.covered,
            "lag_days": lag.days(),
        },
    })))
}

/// A map of the service for programs that open the root address; browsers go to the
/// staff dashboard.
pub async fn index(req: actix_web::HttpRequest) -> HttpResponse {
    let browser = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if browser {
        return HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/dashboard"))
            .finish();
    }
    HttpResponse::Ok().json(json!({
        "service": "tier-registry",
        "api": "/api/v1",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs/",
        "health": "/healthz",
        "ready": "/readyz",
        "metrics": "/metrics",
        "staff_pages": "/dashboard",
    }))
}
