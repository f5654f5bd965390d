use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::create_token::Shown;
use super::show_tokens::{CreatedQuery, shown};

use crate::domain::{FieldError, Role};
use crate::service::{Registry, StaffUser};
use crate::web::form::{Choice, FormBuilder, FormData, FormView};
use crate::web::memory::PageMemory;
use crate::web::pages::shared::blocking;
use crate::web::render::render;
use crate::web::{PageContext, WebError};

/// Every role, lowest first.
const ROLES: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

/// An account as the table shows it, with the choices of its role form.
pub struct UserRowView {
    username: String,
    role: String,
    disabled: bool,
    state: String,
    roles: Vec<Choice>,
    /// The signed-in admin's own row: no buttons, so nobody locks themselves out.
    is_self: bool,
}

/// The accounts page: the table, the add form, and a one-time password after an add or
/// a reset.
#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    ctx: PageContext,
    users: Vec<UserRowView>,
    form: FormView,
    shown: Shown,
}

/// Renders the accounts page with `status`, the add form showing `values` and `errors`,
/// and what `shown` says about a one-time password just made.
pub async fn users_page(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    status: StatusCode,
    values: &FormData,
    errors: &[FieldError],
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let users = blocking(registry, |r| r.accounts().list_users()).await??;
    render(status, &users_view(ctx, &users, values, errors, shown))
}

/// The page listing `users`, its add form showing `values` and `errors`.
fn users_view(
    ctx: PageContext,
    users: &[StaffUser],
    values: &FormData,
    errors: &[FieldError],
    shown: Shown,
) -> UsersPage {
    let form = FormBuilder::new(&ctx, values, errors)
        .text("username", true)
        .select("role", true, &role_choices(&ctx))
        .finish();
    let users = users.iter().map(|u| row(&ctx, u)).collect();
    UsersPage {
        ctx,
        users,
        form,
        shown,
    }
}

fn role_choices(ctx: &PageContext) -> Vec<(String, String)> {
    ROLES
        .iter()
        .map(|r| (r.as_str().to_owned(), ctx.label("role", r.as_str())))
        .collect()
}

fn row(ctx: &PageContext, u: &StaffUser) -> UserRowView {
    let state = if u.disabled {
        ctx.t("admin.state_disabled")
    } else if u.must_change_password {
        ctx.t("admin.state_one_time")
    } else {
        ctx.t("admin.state_active")
    };
    UserRowView {
        username: u.username.clone(),
        role: ctx.label("role", u.role.as_str()),
        disabled: u.disabled,
        state: state.to_owned(),
        roles: role_choices(ctx)
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == u.role.as_str(),
                value,
                label,
            })
            .collect(),
        is_self: ctx.actor() == u.username,
    }
}

/// `GET /admin/users`: the accounts and the form to add one.
#[tracing::instrument(name = "web.show_users", skip_all)]
pub async fn show_users(
    ctx: PageContext,
    registry: web::Data<Registry>,
    memory: web::Data<PageMemory>,
    query: web::Query<CreatedQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    let values = ctx.values_or(|| {
        let mut values = FormData::default();
        values.set("role", Role::Viewer.as_str());
        values
    });
    let shown = shown(&memory, &ctx, query.created.as_deref());
    users_page(ctx, &registry, StatusCode::OK, &values, &[], shown).await
}
