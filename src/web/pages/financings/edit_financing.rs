use actix_web::{HttpResponse, web};

use super::record::Financings;
use crate::service::Registry;
use crate::web::pages::records;
use crate::web::{PageContext, WebError};

/// `GET /firms/{id}/financings/{financing_id}/edit`: the round in a form, with its version.
pub async fn edit_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    records::edit::<Financings>(ctx, registry, path).await
}

/// `POST /firms/{id}/financings/{financing_id}/edit`: saves the correction if the round is
/// still at the version the form was opened at; a stale form shows what changed meanwhile
/// and writes nothing.
#[tracing::instrument(name = "web.update_financing", skip_all, fields(firm.id = %path.0))]
pub async fn update_financing(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    records::update::<Financings>(ctx, registry, path, body).await
}
