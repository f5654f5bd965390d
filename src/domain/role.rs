//! Staff roles and API token scopes: who may do what.

use std::fmt;

/// A staff member's role. Ordered: each role may do everything the ones below it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads firms, counts, the ledger and the rules.
    Viewer,
    /// Also registers and edits firms, figures, financings and certificates.
    Editor,
    /// Also manages users and tokens, publishes rule sets, imports files and reads the audit trail.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

    /// Parses `viewer`, `editor` or `admin`.
    pub fn parse(text: &str) -> Result<Self, UnknownRole> {
        match text.trim() {
            "viewer" => Ok(Self::Viewer),
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            other => Err(UnknownRole(other.to_owned())),
        }
    }

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    /// Whether this role includes `needed`.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role or scope name that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected viewer, editor or admin")]
pub struct UnknownRole(pub String);

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenScope {
    /// GET requests: the same reach as a viewer.
    Read,
    /// Also the writes an editor may make.
    Write,
}

impl TokenScope {
    /// Parses `read` or `write`.
    pub fn parse(text: &str) -> Result<Self, UnknownScope> {
        match text.trim() {
            "read" => Ok(Self::Read),
            "write" => Ok(Self::Write),
            other => Err(UnknownScope(other.to_owned())),
        }
    }

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }

    /// The staff role whose reach this scope has. Tokens never reach admin work.
    pub fn role(self) -> Role {
        match self {
            Self::Read => Role::Viewer,
            Self::Write => Role::Editor,
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that is not `read` or `write`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope {0:?}: expected read or write")]
pub struct UnknownScope(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below_them() {
        assert!(Role::Admin.allows(Role::Editor));
        assert!(Role::Editor.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Editor));
        assert!(!Role::Editor.allows(Role::Admin));
    }

    #[test]
    fn role_and_scope_names_round_trip_and_unknown_names_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
        assert_eq!(TokenScope::parse("read"), Ok(TokenScope::Read));
        assert_eq!(TokenScope::parse("write"), Ok(TokenScope::Write));
        assert!(TokenScope::parse("admin").is_err());
    }

    #[test]
    fn a_write_token_never_reaches_admin_work() {
        assert_eq!(TokenScope::Write.role(), Role::Editor);
        assert_eq!(TokenScope::Read.role(), Role::Viewer);
    }
}
