//! What every staff page knows about the request: language, flash message, the signed-in
//! staff member and the CSRF token. Handlers take a `PageContext` first.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::WebError;
use super::i18n::{Catalog, Lang};
use crate::auth::Principal;
use crate::domain::Role;
use crate::service::IdempotencyScope;

/// The cookie holding the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// The staff member signed in, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffView {
    /// Login name.
    pub username: String,
    /// What they may do.
    pub role: Role,
    /// Still on a one-time password: only the password page is open.
    pub must_change_password: bool,
}

/// Per-request page state, extracted from the request.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// Language of the page (cookie `lang`, default zh-CN).
    pub lang: Lang,
    /// A one-time success message after Post/Redirect/Get.
    pub flash: Option<String>,
    /// The session's synchronizer token: every form posts it back.
    pub csrf_token: String,
    /// Who is signed in.
    pub staff: Option<StaffView>,
    /// The path and query of this page, for the language switch to come back to.
    pub here: String,
    /// Where a form key posted with this request is unique: its method and path.
    pub key_scope: IdempotencyScope,
    /// A fresh one-time key for a form that creates something (see `web::form_key`).
    pub form_key: String,
    /// A form kept when its session ended, to fill in again (see `web::keep_work`).
    pub restored: Option<super::form::FormData>,
}

impl PageContext {
    /// Builds the context of `req` (also used by the error pages).
    pub fn of(req: &HttpRequest) -> Self {
        let lang = lang_of(req);
        // The flash is a catalogue key named in the redirect's query (`?notice=saved`), so
        // a crafted link can only show one of our own sentences.
        let restored = super::keep_work::restored(req);
        let notice = if restored.is_some() {
            Some("draft_restored".to_owned())
        } else {
            notice_of(req.query_string())
        };
        let flash = notice
            .and_then(|key| lang.catalog().get(&format!("flash.{key}")))
            .map(str::to_owned);
        let here = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        // The authentication middleware has found the session, if any.
        let session = match req.extensions().get::<Principal>() {
            Some(Principal::Staff(session)) => Some(session.clone()),
            _ => None,
        };
        Self {
            lang,
            flash,
            csrf_token: session
                .as_ref()
                .map(|s| s.csrf_token.clone())
                .unwrap_or_default(),
            staff: session.map(|s| StaffView {
                username: s.user.username,
                role: s.user.role,
                must_change_password: s.user.must_change_password,
            }),
            here,
            key_scope: IdempotencyScope::new(req.method().as_str(), req.path()),
            form_key: super::form_key::new_key(),
            restored,
        }
    }

    /// The catalogue of the page's language.
    pub fn catalog(&self) -> &'static Catalog {
        self.lang.catalog()
    }

    /// A label from the catalogue.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.lang.catalog().t(key)
    }

    /// A label whose key is built at run time (`metric.rd_ratio`); the last part of the key
    /// when the catalogue lacks it.
    pub fn label(&self, prefix: &str, id: &str) -> String {
        let key = format!("{prefix}.{id}");
        self.lang
            .catalog()
            .get(&key)
            .map_or_else(|| id.to_owned(), str::to_owned)
    }

    /// `zh-CN` or `en`, for `<html lang>`.
    pub fn html_lang(&self) -> &'static str {
        self.lang.tag()
    }

    /// The link of the language switch: sets the cookie and comes back here.
    pub fn switch_href(&self) -> String {
        let back: String = url_encode(&self.here);
        format!("/lang?to={}&back={back}", self.lang.other().tag())
    }

    /// Checks the synchronizer token a form posted against the session's, in constant time.
    /// (The authentication middleware has already checked the Origin.) A form without the
    /// session's token is refused with 403 before anything is written.
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if !self.csrf_token.is_empty() && crate::service::same_secret(&self.csrf_token, submitted) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Reads a posted form for a write that needs `role`: decodes it, then checks its
    /// synchronizer token and the role, so no handler can forget either before writing.
    ///
    /// A form whose token is not this session's was opened in a session that has ended
    /// since: it is refused all the same, with the page that keeps what was typed.
    pub fn accept_form(&self, body: &[u8], role: Role) -> Result<super::form::FormData, WebError> {
        let form = super::form::FormData::parse(body)?;
        if self.verify_csrf(form.get("csrf_token")).is_err() {
            return Err(WebError::StaleForm(body.to_vec()));
        }
        self.require(role)?;
        Ok(form)
    }

    /// The values a form page opens with: a kept form to fill in again, else `default`.
    pub fn values_or(
        &self,
        default: impl FnOnce() -> super::form::FormData,
    ) -> super::form::FormData {
        self.restored.clone().unwrap_or_else(default)
    }

    /// Refuses the request unless the staff member holds `role` (or a higher one). The
    /// middleware enforces the route table first; this keeps each handler safe on its own.
    pub fn require(&self, role: Role) -> Result<(), WebError> {
        match &self.staff {
            Some(s) if !s.must_change_password && s.role.allows(role) => Ok(()),
            _ => Err(WebError::Forbidden),
        }
    }

    /// Whether the signed-in staff member is an administrator (for admin links).
    pub fn is_admin(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| !s.must_change_password && s.role.allows(Role::Admin))
    }

    /// Whether the signed-in staff member may edit (editors and administrators): a viewer is
    /// not offered actions that would only answer 403.
    pub fn can_edit(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| !s.must_change_password && s.role.allows(Role::Editor))
    }

    /// The actor recorded in the ledger and the audit trail for writes made through the pages.
    pub fn actor(&self) -> String {
        self.staff
            .as_ref()
            .map_or_else(|| "web".to_owned(), |s| s.username.clone())
    }
}

impl FromRequest for PageContext {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// The language of a request: its `lang` cookie, else Chinese.
pub fn lang_of(req: &HttpRequest) -> Lang {
    req.cookie(LANG_COOKIE)
        .map(|c| Lang::from_tag(c.value()))
        .unwrap_or_default()
}

fn notice_of(query: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v)
        .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_word_characters_are_accepted_as_a_notice_key() {
        assert_eq!(notice_of("notice=saved&x=1"), Some("saved".into()));
        assert_eq!(notice_of("notice=%3Cscript%3E"), None);
        assert_eq!(notice_of("q=1"), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_encode("/firms?q=常 州&x=1"),
            "%2Ffirms%3Fq%3D%E5%B8%B8+%E5%B7%9E%26x%3D1"
        );
    }
}
