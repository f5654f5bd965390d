use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sha2::{Digest, Sha256};

use crate::bulk::parse_file;
use crate::domain::Role;
use crate::service::{ImportReport, Once, Registry, RowAction, TierChange};
use crate::web::form::message;
use crate::web::pages::shared::{blocking, names};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};
use crate::web::{form_key, multipart};

/// Largest upload accepted (a city's firms fit in a few MiB of CSV).
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

/// Rows listed on the page; the counts cover every row.
const SHOWN_ROWS: usize = 500;

/// A row of the preview.
pub struct RowView {
    row: usize,
    uscc: String,
    action: &'static str,
    action_text: String,
    errors: String,
    /// Each field the row changes, stored value → file value.
    changes: String,
}

/// A predicted (or recorded) tier change.
pub struct ChangeView {
    uscc: String,
    text: String,
}

/// The import page: the form, and after an upload the report.
#[derive(Template)]
#[template(path = "admin/import.html")]
pub struct ImportPage {
    pub(super) ctx: PageContext,
    pub(super) problem: Option<String>,
    pub(super) filename: String,
    sha256: String,
    pub(super) committed: bool,
    pub(super) counts: Vec<(String, usize)>,
    pub(super) has_errors: bool,
    pub(super) rows: Vec<RowView>,
    pub(super) more_rows: usize,
    pub(super) changes: Vec<ChangeView>,
    /// Tier changes of a committed import not listed (its audit entry keeps the first ones).
    pub(super) more_changes: usize,
    /// A committed import's result page: when and by whom.
    pub(super) committed_by: String,
}

impl ImportPage {
    /// The page before any upload.
    pub fn empty(ctx: PageContext) -> Self {
        Self {
            ctx,
            problem: None,
            filename: String::new(),
            sha256: String::new(),
            committed: false,
            counts: Vec::new(),
            has_errors: false,
            rows: Vec::new(),
            more_rows: 0,
            changes: Vec::new(),
            more_changes: 0,
            committed_by: String::new(),
        }
    }
}

fn action_key(a: RowAction) -> &'static str {
    match a {
        RowAction::Create => "create",
        RowAction::Update => "update",
        RowAction::Unchanged => "unchanged",
        RowAction::Error => "error",
    }
}

/// `POST /admin/import`: `action=preview` runs the import as a dry run and shows what each
/// row would do and which tiers would change; `action=commit` applies the file, which must
/// be the one previewed (same SHA-256), all or nothing, once per form key, and redirects to
/// the commit's result page. A resubmitted commit (double click, refresh, back) writes
/// nothing and lands on the first commit's result.
#[tracing::instrument(name = "web.import", skip_all)]
pub async fn import(
    ctx: PageContext,
    req: HttpRequest,
    registry: web::Data<Registry>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = multipart::parse(content_type, &body).ok_or(WebError::BadRequest)?;
    let field = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
            .unwrap_or_default()
    };
    ctx.verify_csrf(&field("csrf_token"))?;
    ctx.require(Role::Admin)?;
    let commit = field("action") == "commit";
    let key = if commit {
        form_key::of(&field(form_key::FIELD))?
    } else {
        None
    };
    let previewed = field("sha256");
    let mut page = ImportPage::empty(ctx);
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && !p.data.is_empty())
    else {
        page.problem = Some(page.ctx.t("import.no_file").to_owned());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    page.filename = file.filename.clone().unwrap_or_default();
    page.sha256 = hex(&Sha256::digest(&file.data));
    if commit && previewed != page.sha256 {
        // The commit button re-sends the file: refuse one that is not what was previewed.
        page.problem = Some(page.ctx.t("import.not_previewed").to_owned());
        page.sha256 = String::new();
        return render(StatusCode::CONFLICT, &page);
    }
    let parsed = match parse_file(&file.data, None) {
        Ok(parsed) => parsed,
        Err(e) => {
            page.problem = Some(format!("{}{e}", page.ctx.t("import.unreadable")));
            page.sha256 = String::new();
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let actor = page.ctx.actor();
    let (outcome, names) = blocking(&registry, move |r| {
        let outcome = r
            .bulk()
            .import_once(&parsed, commit, &actor, key.as_ref(), &|_| {})?;
        Ok((outcome, names(r)?))
    })
    .await??;
    let report = match outcome {
        Once::Replayed(audit_id) => return Ok(result_page(&audit_id)),
        Once::New(report) => match &report.audit_id {
            Some(audit_id) => return Ok(result_page(audit_id)),
            None => report,
        },
    };
    fill(&mut page, &report, &names);
    let status = if page.has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

/// Where a committed import's result is shown (Post/Redirect/Get).
fn result_page(audit_id: &str) -> HttpResponse {
    see_other(
        &format!("/admin/import?report={audit_id}"),
        "import_committed",
    )
}

/// Each action with how many rows had it, as the page lists them.
pub fn counts(ctx: &PageContext, count: impl Fn(RowAction) -> usize) -> Vec<(String, usize)> {
    [
        RowAction::Create,
        RowAction::Update,
        RowAction::Unchanged,
        RowAction::Error,
    ]
    .into_iter()
    .map(|a| (ctx.label("import_action", action_key(a)), count(a)))
    .collect()
}

fn fill(page: &mut ImportPage, report: &ImportReport, names: &crate::web::names::Names) {
    let ctx = &page.ctx;
    page.committed = report.committed;
    page.has_errors = report.count(RowAction::Error) > 0;
    page.counts = counts(ctx, |a| report.count(a));
    // Refused rows first: they are what the clerk must fix.
    let mut rows: Vec<_> = report.rows.iter().collect();
    rows.sort_by_key(|r| (r.action != RowAction::Error, r.row));
    page.more_rows = rows.len().saturating_sub(SHOWN_ROWS);
    page.rows = rows
        .into_iter()
        .take(SHOWN_ROWS)
        .map(|r| RowView {
            row: r.row,
            uscc: r.uscc.clone(),
            action: action_key(r.action),
            action_text: ctx.label("import_action", action_key(r.action)),
            errors: r
                .errors
                .iter()
                .map(|e| format!("{} {}", ctx.label("field", &e.field), row_message(ctx, e)))
                .collect::<Vec<_>>()
                .join("；"),
            changes: r
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}：{} → {}",
                        ctx.label("field", c.field),
                        shown(ctx, &c.old),
                        shown(ctx, &c.new)
                    )
                })
                .collect::<Vec<_>>()
                .join("；"),
        })
        .collect();
    page.changes = change_views(ctx, names, &report.tier_changes);
}

/// A row's error as the clerk reads it. An unusual figure cannot be confirmed in a file:
/// the clerk is sent to the firm's page, which asks about that round alone.
fn row_message(ctx: &PageContext, e: &crate::domain::FieldError) -> String {
    if e.code == "needs_confirmation" {
        ctx.t("import.needs_confirmation").to_owned()
    } else {
        message(ctx, e)
    }
}

/// The tier changes as the page lists them.
pub fn change_views(
    ctx: &PageContext,
    names: &crate::web::names::Names,
    changes: &[TierChange],
) -> Vec<ChangeView> {
    changes
        .iter()
        .map(|c| {
            let tier = |t: &Option<String>| {
                t.as_deref().map_or_else(
                    || ctx.t("explain.none").to_owned(),
                    |t| names.tier(ctx.lang, t),
                )
            };
            ChangeView {
                uscc: c.uscc.clone(),
                text: ctx
                    .label("event", &c.kind)
                    .replace("{track}", &names.track(ctx.lang, &c.track))
                    .replace("{from}", &tier(&c.from))
                    .replace("{to}", &tier(&c.to)),
            }
        })
        .collect()
}

/// A field's value as the clerk reads it: yes/no in words, "empty" for a value not known.
fn shown(ctx: &PageContext, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => ctx.t("import.empty_value").to_owned(),
        serde_json::Value::Bool(true) => ctx.t("choice.yes").to_owned(),
        serde_json::Value::Bool(false) => ctx.t("choice.no").to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
