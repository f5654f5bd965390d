//! One-time form keys: every form that creates something carries a random key, made when the
//! form is shown, and the write is stored under it like an API `Idempotency-Key`. A double
//! click, a refresh of the POST or a back-and-resubmit sends the same key again and is
//! answered with the first submission's result instead of a twin.

use super::form::FormData;
use super::{PageContext, WebError};
use crate::service::Idempotency;

/// The hidden field's name.
pub const FIELD: &str = "form_key";

/// A new key: 128 random bits as hex. Empty only if the system has no randomness, and then
/// the form simply works without the protection.
pub fn new_key() -> String {
    crate::service::random_token_hex(16).unwrap_or_default()
}

/// The key a form posted. Every resubmission of one form is the same request whatever was
/// edited in between (the clerk went back and changed a value): it is answered with what the
/// first one did, so the key alone is fingerprinted, never the body. A form without a key
/// (from before keys existed) is written without the protection. A key is unique on the
/// route it was posted to (`POST /firms/{id}/financings` with the id).
pub fn posted(ctx: &PageContext, form: &FormData) -> Result<Option<Idempotency>, WebError> {
    of(ctx, form.get(FIELD))
}

/// The key in a posted value (a multipart form's field), as [`posted`] reads it.
pub fn of(ctx: &PageContext, value: &str) -> Result<Option<Idempotency>, WebError> {
    match value.trim() {
        "" => Ok(None),
        key => Idempotency::new(ctx.key_scope.clone(), key, &"page form")
            .map(Some)
            .map_err(|_| WebError::BadRequest),
    }
}

/// Where a secret made by the form's POST waits for the page its redirect leads to: the
/// form's key, so every submission of the form finds it (a fresh id for a form without one).
pub fn reveal_id(form: &FormData) -> String {
    match form.get(FIELD).trim() {
        "" => new_key(),
        posted => posted.to_owned(),
    }
}
