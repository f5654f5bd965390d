use actix_web::{HttpResponse, web};

use super::view::rules_view;
use crate::domain::Role;
use crate::service::{Registry, ServiceError};
use crate::web::pages::shared::blocking;
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

/// `GET /rules`.
#[tracing::instrument(name = "web.show_rules", skip_all)]
pub async fn show_rules(
    ctx: PageContext,
    registry: web::Data<Registry>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let (current, published) = blocking(&registry, |r| {
        let current = match r.rule_sets().current() {
            Ok((set, _)) => Some(set),
            Err(ServiceError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        Ok((current, r.rule_sets().list()?))
    })
    .await??;
    ok(&rules_view(ctx, current.as_ref(), &published))
}
