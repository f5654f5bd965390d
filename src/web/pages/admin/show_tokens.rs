use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::create_token::Shown;

use crate::domain::{FieldError, Role, shanghai_offset};
use crate::service::{ApiToken, Registry};
use crate::web::form::{FormBuilder, FormData, FormView};
use crate::web::memory::PageMemory;
use crate::web::pages::shared::{blocking, with_blank};
use crate::web::render::render;
use crate::web::{PageContext, WebError};

/// A token as the table shows it (never its secret: only its hash is stored).
pub struct TokenRowView {
    id: String,
    name: String,
    scope: String,
    created_by: String,
    created_at: String,
    live: bool,
    state: String,
}

/// The tokens page: the table, the create form, and after a create the new secret.
#[derive(Template)]
#[template(path = "admin/tokens.html")]
pub struct TokensPage {
    ctx: PageContext,
    tokens: Vec<TokenRowView>,
    form: FormView,
    shown: Shown,
}

/// Renders the tokens page with `status`, the create form showing `values` and `errors`,
/// and what `shown` says about a token just made.
pub async fn tokens_page(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    status: StatusCode,
    values: &FormData,
    errors: &[FieldError],
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let tokens = blocking(registry, |r| r.accounts().list_tokens()).await??;
    render(status, &tokens_view(ctx, &tokens, values, errors, shown))
}

/// The page listing `tokens`, its create form showing `values` and `errors`.
fn tokens_view(
    ctx: PageContext,
    tokens: &[ApiToken],
    values: &FormData,
    errors: &[FieldError],
    shown: Shown,
) -> TokensPage {
    let scopes = ["read", "write"]
        .iter()
        .map(|s| ((*s).to_owned(), ctx.label("scope", s)))
        .collect();
    let form = FormBuilder::new(&ctx, values, errors)
        .text("token_name", true)
        .select("scope", true, &with_blank(&ctx, scopes))
        .finish();
    let tokens = tokens.iter().map(|t| row(&ctx, t)).collect();
    TokensPage {
        ctx,
        tokens,
        form,
        shown,
    }
}

fn row(ctx: &PageContext, t: &ApiToken) -> TokenRowView {
    let live = t.revoked_at.is_none();
    TokenRowView {
        id: t.id.clone(),
        name: t.name.clone(),
        scope: ctx.label("scope", t.scope.as_str()),
        created_by: t.created_by.clone(),
        created_at: shanghai_time(t.created_at),
        live,
        state: if live {
            ctx.t("admin.state_live").to_owned()
        } else {
            ctx.t("admin.state_revoked").to_owned()
        },
    }
}

/// A UTC instant as the city's staff read it: Asia/Shanghai wall-clock time.
pub fn shanghai_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&shanghai_offset())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// `?created=…`: the redirect after a token was made.
#[derive(Debug, Deserialize)]
pub struct CreatedQuery {
    pub created: Option<String>,
}

/// What to show for `?created=…`: the secret the first time its maker comes, then only that
/// it is gone.
pub fn shown(memory: &PageMemory, ctx: &PageContext, created: Option<&str>) -> Shown {
    match created {
        None => Shown::Nothing,
        Some(id) => memory
            .take_reveal(id, &ctx.actor())
            .map_or(Shown::Gone, Shown::Secret),
    }
}

/// `GET /admin/tokens`: the tokens and the form to make one.
#[tracing::instrument(name = "web.show_tokens", skip_all)]
pub async fn show_tokens(
    ctx: PageContext,
    registry: web::Data<Registry>,
    memory: web::Data<PageMemory>,
    query: web::Query<CreatedQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    let values = ctx.values_or(|| {
        let mut values = FormData::default();
        values.set("scope", "read");
        values
    });
    let shown = shown(&memory, &ctx, query.created.as_deref());
    tokens_page(ctx, &registry, StatusCode::OK, &values, &[], shown).await
}
