//! The import page's view model: an upload refused, a preview's report, a commit's result.

use askama::Template;

use super::show_tokens::shanghai_time;
use crate::service::{AuditEntry, ImportReport, RowAction, SAMPLED_ROWS, TierChange};
use crate::web::PageContext;
use crate::web::form::message;
use crate::web::names::Names;
use crate::web::pages::shared::change_text;

/// Rows listed on the page; the counts cover every row. At most `SAMPLED_ROWS`: the report
/// keeps no more of each kind.
const SHOWN_ROWS: usize = 500;
const _: () = assert!(SHOWN_ROWS <= SAMPLED_ROWS);

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
    ctx: PageContext,
    problem: Option<String>,
    filename: String,
    sha256: String,
    committed: bool,
    counts: Vec<(String, usize)>,
    pub(super) has_errors: bool,
    rows: Vec<RowView>,
    more_rows: usize,
    changes: Vec<ChangeView>,
    /// Tier changes of a committed import not listed (its audit entry keeps the first ones).
    more_changes: usize,
    /// A committed import's result page: when and by whom.
    committed_by: String,
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

    /// The page refusing an upload for `problem`; nothing was imported.
    pub fn refused(ctx: PageContext, filename: String, problem: String) -> Self {
        Self {
            problem: Some(problem),
            filename,
            ..Self::empty(ctx)
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

/// The report of a preview (or of a commit that kept no audit entry) of the file named
/// `filename` with digest `sha256`: counts, refused rows first, tier changes.
pub fn report_view(
    ctx: PageContext,
    filename: String,
    sha256: String,
    report: &ImportReport,
    names: &Names,
) -> ImportPage {
    let mut page = ImportPage {
        filename,
        sha256,
        ..ImportPage::empty(ctx)
    };
    let ctx = &page.ctx;
    page.committed = report.committed;
    page.has_errors = report.count(RowAction::Error) > 0;
    page.counts = counts(ctx, |a| report.count(a));
    // Refused rows first: they are what the clerk must fix. The report keeps more of each
    // kind than the page shows, so these are the file's first refused rows, then its first
    // others.
    let mut rows: Vec<_> = report.sample.iter().collect();
    rows.sort_by_key(|r| (r.action != RowAction::Error, r.row));
    page.more_rows = report.total().saturating_sub(SHOWN_ROWS);
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
    page
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
pub fn change_views(ctx: &PageContext, names: &Names, changes: &[TierChange]) -> Vec<ChangeView> {
    changes
        .iter()
        .map(|c| ChangeView {
            uscc: c.uscc.clone(),
            text: change_text(
                ctx,
                names,
                &c.kind,
                &c.track,
                [c.from.as_deref(), c.to.as_deref()],
                ctx.t("explain.none"),
            ),
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

/// The result of a committed import, from its audit entry: counts, the tier changes it
/// kept, when and by whom.
pub fn committed_view(ctx: PageContext, entry: &AuditEntry, names: &Names) -> ImportPage {
    let detail = &entry.detail;
    let number = |field: &str| {
        detail[field]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let listed: Vec<TierChange> =
        serde_json::from_value(detail["changes"].clone()).unwrap_or_default();
    let mut page = ImportPage::empty(ctx);
    page.committed = true;
    page.counts = counts(&page.ctx, |a| match a {
        RowAction::Create => number("created"),
        RowAction::Update => number("updated"),
        RowAction::Unchanged => number("unchanged"),
        RowAction::Error => 0,
    });
    page.more_changes = number("tier_changes").saturating_sub(listed.len());
    page.changes = change_views(&page.ctx, names, &listed);
    page.committed_by = format!("{} · {}", shanghai_time(entry.at), entry.actor);
    page
}
