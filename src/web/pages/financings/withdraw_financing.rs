use actix_web::{HttpResponse, web};

use super::record::Financings;
use crate::service::Registry;
use crate::web::pages::records;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/financings/{financing_id}/withdraw`: the round, a reason field and the
/// button that withdraws it (the confirmation step).
pub async fn confirm_withdraw_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    records::confirm_withdraw::<Financings>(ctx, registry, path).await
}

/// `POST /firms/{id}/financings/{financing_id}/withdraw`: withdraws the round with the
/// reason given, if it is still at the version shown.
#[tracing::instrument(name = "web.withdraw_financing", skip_all, fields(firm.id = %path.0))]
pub async fn withdraw_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    records::withdraw::<Financings>(ctx, registry, path, body).await
}
