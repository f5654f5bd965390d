use actix_web::{HttpResponse, web};

use super::record::Certificates;
use crate::service::Registry;
use crate::web::pages::records;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/certificates/{certificate_id}/withdraw`: the certificate, a reason field
/// and the button that withdraws it (the confirmation step).
pub async fn confirm_withdraw_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    records::confirm_withdraw::<Certificates>(ctx, registry, path).await
}

/// `POST /firms/{id}/certificates/{certificate_id}/withdraw`: withdraws the certificate with
/// the reason given, if it is still at the version shown.
#[tracing::instrument(name = "web.withdraw_certificate", skip_all, fields(firm.id = %path.0))]
pub async fn withdraw_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    records::withdraw::<Certificates>(ctx, registry, path, body).await
}
