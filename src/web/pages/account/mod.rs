//! Logging in and out, and choosing a password.

mod change_password;
mod login;
mod logout;
mod session_cookie;
mod show_login;
mod show_password;

pub use change_password::change_password;
pub use login::login;
pub use logout::logout;
pub use show_login::show_login;
pub use show_password::show_password;
