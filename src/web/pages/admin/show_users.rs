use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::{FieldError, Role};
use crate::service::{Registry, StaffUser};
use crate::web::form::{Choice, FormBuilder, FormData, FormView};
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

/// A one-time password just made, shown this once.
pub struct OneTime {
    username: String,
    password: String,
}

/// The accounts page: the table, the add form, and a one-time password after an add or
/// a reset.
#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    ctx: PageContext,
    users: Vec<UserRowView>,
    form: FormView,
    one_time: Option<OneTime>,
}

/// Renders the accounts page with `status`, the add form showing `values` and `errors`,
/// and `one_time` (username, password) when one was just made.
pub async fn users_page(
    ctx: PageContext,
    registry: &web::Data<Registry>,
    status: StatusCode,
    values: &FormData,
    errors: &[FieldError],
    one_time: Option<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let users = blocking(registry, |r| r.list_users()).await??;
    let form = FormBuilder::new(&ctx, values, errors)
        .text("username", true)
        .select("role", true, &role_choices(&ctx))
        .finish();
    let users = users.iter().map(|u| row(&ctx, u)).collect();
    let page = UsersPage {
        ctx,
        users,
        form,
        one_time: one_time.map(|(username, password)| OneTime { username, password }),
    };
    render(status, &page)
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
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    let mut values = FormData::default();
    values.set("role", Role::Viewer.as_str());
    users_page(ctx, &registry, StatusCode::OK, &values, &[], None).await
}
