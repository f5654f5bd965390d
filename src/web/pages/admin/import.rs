use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use super::import_view::{ImportPage, report_view};
use crate::bulk::ImportReader;
use crate::domain::Role;
use crate::service::{Once, Registry, RowOutcome};
use crate::web::pages::shared::{blocking, names};
use crate::web::render::{render, see_other};
use crate::web::{PageContext, WebError};
use crate::web::{form_key, multipart};

/// Largest upload accepted (a city's firms fit in a few MiB of CSV).
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

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
        form_key::of(&ctx, &field(form_key::FIELD))?
    } else {
        None
    };
    let previewed = field("sha256");
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && !p.data.is_empty())
    else {
        let problem = ctx.t("import.no_file").to_owned();
        let page = ImportPage::refused(ctx, String::new(), problem);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let filename = file.filename.clone().unwrap_or_default();
    let sha256 = hex(&Sha256::digest(&file.data));
    if commit && previewed != sha256 {
        // The commit button re-sends the file: refuse one that is not what was previewed.
        let problem = ctx.t("import.not_previewed").to_owned();
        return render(
            StatusCode::CONFLICT,
            &ImportPage::refused(ctx, filename, problem),
        );
    }
    // An upload is held in memory anyway (its size is limited); the reader owns a copy so
    // it can go to the blocking pool.
    let mut parsed = match ImportReader::from_bytes(file.data.clone(), None) {
        Ok(parsed) => parsed,
        Err(e) => {
            let problem = format!("{}{e}", ctx.t("import.unreadable"));
            let page = ImportPage::refused(ctx, filename, problem);
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let actor = ctx.actor();
    let (outcome, names) = blocking(&registry, move |r| {
        let outcome = r.bulk().import_once(
            &mut parsed,
            commit,
            &actor,
            key.as_ref(),
            &|_| {},
            &mut |_: &RowOutcome| {},
        )?;
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
    let page = report_view(ctx, filename, sha256, &report, &names);
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
