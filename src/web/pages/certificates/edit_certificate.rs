use actix_web::{HttpResponse, web};

use super::record::Certificates;
use crate::service::Registry;
use crate::web::pages::records;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/certificates/{certificate_id}/edit`: the certificate in a form, with its
/// version.
pub async fn edit_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    records::edit::<Certificates>(ctx, registry, path).await
}

/// `POST /firms/{id}/certificates/{certificate_id}/edit`: saves the correction if the
/// certificate is still at the version the form was opened at; a stale form shows what
/// changed meanwhile and writes nothing. A number another certificate holds is the field's
/// error.
#[tracing::instrument(name = "web.update_certificate", skip_all, fields(firm.id = %path.0))]
pub async fn update_certificate(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    records::update::<Certificates>(ctx, registry, path, body).await
}
