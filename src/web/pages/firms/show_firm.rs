use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::firm_view::{FirmData, firm_view};
use crate::domain::Role;
use crate::service::{Registry, ServiceError};
use crate::web::pages::shared::{blocking, firm_id, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}`: the firm, its tiers with the reasons in plain words, its history.
#[tracing::instrument(name = "web.show_firm", skip_all, fields(firm.id = %path))]
pub async fn show_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let id = firm_id(&path)?;
    let data = blocking(&registry, move |r| read(r, id)).await??;
    ok(&firm_view(ctx, &data, registry.catalog()))
}

/// Everything the firm page shows, read on the blocking pool.
fn read(r: &Registry, id: Uuid) -> Result<FirmData, ServiceError> {
    let firm = r.firms().get(id)?;
    // No rule set in force: the page shows the firm without tiers.
    let assessment = match r.tiers().assess(id, None) {
        Ok(a) => Some(a),
        Err(ServiceError::Validation(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(FirmData {
        firm,
        assessment,
        history: r.tiers().history(id)?,
        financings: r.figures().list_financings(id)?,
        certificates: r.figures().list_certificates(id)?,
        names: names(r)?,
    })
}
