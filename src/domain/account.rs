//! Staff usernames and new passwords.

use unicode_normalization::UnicodeNormalization;

use super::FieldError;

/// A login name: 2–64 characters of lowercase ASCII letters, digits, `.`, `_` and `-`,
/// starting with a letter. Upper case and full-width forms are folded first, so `Wang.Li`
/// and `ｗａｎｇ.ｌｉ` name the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Parses a username typed by a person.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let folded: String = text.trim().nfkc().collect::<String>().to_lowercase();
        let ok_chars = folded
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        let starts_with_letter = folded
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase());
        if !(2..=64).contains(&folded.len()) || !ok_chars || !starts_with_letter {
            return Err(FieldError::new(
                "username",
                "invalid_username",
                "a username is 2–64 characters: letters a–z, digits, '.', '_' or '-', starting with a letter",
            ));
        }
        Ok(Self(folded))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shortest password a person may choose (OWASP ASVS 5.0 asks for at least 8 and advises 15;
/// the bureau's staff share machines, so 12).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, so hashing time stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A password a person chose: long enough, not too long, any characters (no composition
/// rules, per NIST SP 800-63B), and not the username.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks a chosen password; `field` names the form field in errors.
    pub fn parse(text: &str, username: &Username, field: &str) -> Result<Self, FieldError> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                "too_short",
                format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                "too_long",
                format!("a password has at most {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        if text.to_lowercase().contains(username.as_str()) {
            return Err(FieldError::new(
                field,
                "contains_username",
                "a password must not contain the username",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_to_one_form() {
        assert_eq!(
            Username::parse(" Wang.Li ").expect("ok").as_str(),
            "wang.li"
        );
        assert_eq!(
            Username::parse("ｗａｎｇ.ｌｉ").expect("ok").as_str(),
            "wang.li"
        );
    }

    #[test]
    fn bad_usernames_are_refused_naming_the_field() {
        for bad in [
            "",
            "a",
            "1abc",
            "wang li",
            "王力",
            "x\u{0}y",
            &"a".repeat(65),
        ] {
            let e = Username::parse(bad).expect_err(bad);
            assert_eq!(e.field, "username", "{bad:?}");
        }
    }

    #[test]
    fn passwords_must_be_long_enough_and_not_contain_the_username() {
        let user = Username::parse("wangli").expect("ok");
        assert_eq!(
            NewPassword::parse("short", &user, "new_password")
                .expect_err("short")
                .code,
            "too_short"
        );
        assert_eq!(
            NewPassword::parse("my-WangLi-password", &user, "p")
                .expect_err("name")
                .code,
            "contains_username"
        );
        assert!(NewPassword::parse("长城永远不倒，黄河之水天上来", &user, "p").is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), &user, "p")
                .expect_err("long")
                .code,
            "too_long"
        );
    }
}
