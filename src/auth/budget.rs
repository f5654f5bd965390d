//! Request budgets: fixed windows per token, or per address for anonymous calls to what is
//! not public anyway.

use actix_extensible_rate_limit::backend::{Backend, SimpleInput, SimpleOutput};
use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderMap, HeaderValue};

use super::{AuthConfig, Need, Principal, client_address};

/// A charge against a budget: what is left, and how to give the request back.
pub(super) struct Charge {
    output: SimpleOutput,
    rollback: String,
}

/// The key a caller's request budget is counted under: per token, or per address for
/// anonymous calls to what is not public anyway. Staff sessions browse pages and are not
/// limited.
fn budget_key(principal: &Principal, need: Need, req: &ServiceRequest) -> Option<String> {
    match principal {
        // Probes and the API description are free: a monitor must not lock itself out.
        _ if need == Need::Public => None,
        Principal::Token(t) => Some(format!("token:{}", t.id)),
        Principal::Anonymous => Some(format!("address:{}", client_address(req.request()))),
        _ => None,
    }
}

/// Seconds until the window of `out` resets, rounded up.
fn seconds_to_reset(out: &SimpleOutput) -> u64 {
    out.reset
        .saturating_duration_since(actix_web::rt::time::Instant::now())
        .as_secs()
        + 1
}

/// Writes `X-RateLimit-Limit`, `-Remaining` and `-Reset`.
pub(super) fn headers(headers: &mut HeaderMap, out: &SimpleOutput) {
    let reset = seconds_to_reset(out);
    for (name, value) in [
        ("x-ratelimit-limit", out.limit),
        ("x-ratelimit-remaining", out.remaining),
        ("x-ratelimit-reset", reset),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(header::HeaderName::from_static(name), v);
        }
    }
}

/// Spends one request of the caller's budget, if the caller has one. `Err` is a caller over
/// its budget: the seconds to wait, and the figures for the headers.
pub(super) async fn charge(
    config: &AuthConfig,
    principal: &Principal,
    need: Need,
    req: &ServiceRequest,
) -> Result<Option<Charge>, (u64, SimpleOutput)> {
    if config.rate_limit == 0 {
        return Ok(None);
    }
    let Some(key) = budget_key(principal, need, req) else {
        return Ok(None);
    };
    let input = SimpleInput {
        interval: config.rate_window,
        max_requests: config.rate_limit,
        key,
    };
    let Ok((decision, output, rollback)) = config.limiter.request(input).await;
    if decision.is_denied() {
        return Err((seconds_to_reset(&output), output));
    }
    Ok(Some(Charge { output, rollback }))
}

impl Charge {
    /// Settles the charge once the answer is known: a 304 answers from the client's cache
    /// and does not spend the budget. Writes the budget's headers.
    pub(super) async fn settle(
        mut self,
        config: &AuthConfig,
        not_modified: bool,
        to: &mut HeaderMap,
    ) {
        if not_modified {
            let _ = config.limiter.rollback(self.rollback).await;
            self.output.remaining = self
                .output
                .remaining
                .saturating_add(1)
                .min(self.output.limit);
        }
        headers(to, &self.output);
    }
}
