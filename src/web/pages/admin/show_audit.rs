use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::show_tokens::shanghai_time;
use crate::domain::Role;
use crate::service::{AuditEntry, AuditFilter, Registry};
use crate::web::context::url_encode;
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::pages::shared::{blocking, with_any};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// Entries per page.
const PAGE: usize = 100;

/// Every action the service records, for the action filter.
pub const ACTIONS: &[&str] = &[
    "login.succeeded",
    "login.failed",
    "login.throttled",
    "logout",
    "password.changed",
    "user.added",
    "user.updated",
    "user.password_reset",
    "token.created",
    "token.revoked",
    "firm.registered",
    "firm.edited",
    "figures.saved",
    "financing.added",
    "certificate.added",
    "rules.published",
    "import.committed",
];

/// The filters, as typed in the query string.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target_kind: Option<String>,
    target_id: Option<String>,
    before: Option<String>,
}

/// An entry as the table shows it.
pub struct EntryView {
    at: String,
    actor: String,
    action: String,
    action_text: String,
    target: String,
    address: String,
    detail: String,
}

/// The audit trail page.
#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    ctx: PageContext,
    form: FormView,
    entries: Vec<EntryView>,
    older: Option<String>,
}

fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The label of an action (`token.created` → catalogue key `audit_action.token_created`).
fn action_label(ctx: &PageContext, action: &str) -> String {
    ctx.label("audit_action", &action.replace('.', "_"))
}

/// `GET /admin/audit`: the audit trail, newest first, filtered, 100 entries a page.
#[tracing::instrument(name = "web.show_audit", skip_all)]
pub async fn show_audit(
    ctx: PageContext,
    registry: web::Data<Registry>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    let query = query.into_inner();
    let filter = AuditFilter {
        actor: given(&query.actor),
        action: given(&query.action),
        target_kind: given(&query.target_kind),
        target_id: given(&query.target_id),
        before: given(&query.before),
    };
    // One more than a page, to know whether an "older" link leads anywhere.
    let wanted = i64::try_from(PAGE + 1).unwrap_or(i64::MAX);
    let query_filter = filter.clone();
    let entries = blocking(&registry, move |r| r.audit().trail(&query_filter, wanted)).await??;
    ok(&audit_view(ctx, &filter, entries))
}

/// The page for `filter` and the entries it found (up to one more than a page).
fn audit_view(ctx: PageContext, filter: &AuditFilter, mut entries: Vec<AuditEntry>) -> AuditPage {
    let mut values = FormData::default();
    let shown = [
        ("actor", &filter.actor),
        ("action", &filter.action),
        ("target_kind", &filter.target_kind),
        ("target_id", &filter.target_id),
    ];
    for (name, value) in shown {
        values.set(name, value.clone().unwrap_or_default());
    }
    let more = entries.len() > PAGE;
    entries.truncate(PAGE);
    let older = match entries.last() {
        Some(last) if more => Some(older_href(&values, &last.id)),
        _ => None,
    };
    let actions = ACTIONS
        .iter()
        .map(|a| ((*a).to_owned(), action_label(&ctx, a)))
        .collect();
    let form = FormBuilder::new(&ctx, &values, &[])
        .text("actor", false)
        .select("action", false, &with_any(&ctx, actions))
        .text("target_kind", false)
        .text("target_id", false)
        .finish();
    let entries = entries.iter().map(|e| view(&ctx, e)).collect();
    AuditPage {
        ctx,
        form,
        entries,
        older,
    }
}

/// The link to the next page: the same filters, entries before `last_id`.
fn older_href(values: &FormData, last_id: &str) -> String {
    let mut href = String::from("/admin/audit?");
    for name in ["actor", "action", "target_kind", "target_id"] {
        if let Some(v) = values.opt(name) {
            href.push_str(&format!("{name}={}&", url_encode(&v)));
        }
    }
    href.push_str(&format!("before={}", url_encode(last_id)));
    href
}

fn view(ctx: &PageContext, e: &AuditEntry) -> EntryView {
    let target = match (&e.target_kind, &e.target_id) {
        (Some(kind), Some(id)) => format!("{kind} {id}"),
        (Some(kind), None) => kind.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => String::new(),
    };
    let detail = match &e.detail {
        serde_json::Value::Object(map) if map.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    EntryView {
        at: shanghai_time(e.at),
        actor: e.actor.clone(),
        action: e.action.clone(),
        action_text: action_label(ctx, &e.action),
        target,
        address: e.address.clone().unwrap_or_default(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::web::pages::fixtures::english;

    fn entry(id: usize) -> AuditEntry {
        AuditEntry {
            id: format!("e{id:03}"),
            at: Utc::now(),
            actor: "admin".into(),
            action: "token.created".into(),
            target_kind: Some("token".into()),
            target_id: None,
            address: None,
            detail: serde_json::json!({}),
        }
    }

    fn filter() -> AuditFilter {
        AuditFilter {
            actor: Some("admin".into()),
            action: None,
            target_kind: None,
            target_id: None,
            before: None,
        }
    }

    #[test]
    fn a_full_page_links_to_older_entries_with_the_same_filters() {
        let entries = (0..=PAGE).map(entry).collect();
        let page = audit_view(english(), &filter(), entries);
        assert_eq!(page.entries.len(), PAGE, "the extra entry is not shown");
        assert_eq!(
            page.older.as_deref(),
            Some("/admin/audit?actor=admin&before=e099")
        );
    }

    #[test]
    fn the_last_page_has_no_older_link_and_entries_read_in_words() {
        let page = audit_view(english(), &filter(), vec![entry(1)]);
        assert_eq!(page.older, None);
        let e = &page.entries[0];
        assert_eq!((e.target.as_str(), e.detail.as_str()), ("token", ""));
        assert_eq!(e.action, "token.created");
        assert_ne!(e.action_text, "token_created", "the action has a label");
    }
}
