//! Reading a rule file: size and syntax checks, then compilation into a [`RuleSet`]. Loading has
//! no side effects, so a server can keep its last good set when a new file is refused.

use std::path::Path;

use super::compile::Compiler;
use super::file::RawRuleSet;
use super::{Diagnostic, RuleErrors, RuleSet, Severity};

/// Reads and checks one rule file; the same as [`RuleSet::load_file`].
pub fn load_file(path: &Path) -> Result<RuleSet, RuleErrors> {
    RuleSet::load_file(path)
}

/// Largest accepted rule file: rule sets are a few kilobytes of text.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

impl RuleSet {
    /// Parses and checks rule-file text; `origin` names the file in messages.
    pub fn parse(text: &str, origin: &str) -> Result<RuleSet, RuleErrors> {
        // Editors on Windows often save a byte-order mark; it is not part of the TOML. The
        // hash still covers the file's bytes as read.
        let original = text;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let refuse = |offset: usize, message: String| {
            RuleErrors(vec![Diagnostic::at(
                origin,
                text,
                offset,
                Severity::Error,
                message,
            )])
        };
        if original.len() as u64 > MAX_FILE_BYTES {
            return Err(refuse(
                0,
                format!(
                    "the file is {} bytes, more than the 1 MiB limit; a rule set is a few kilobytes of text, so check that this is the right file",
                    original.len()
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(refuse(0, "the file is empty; a rule set needs id, version, effective_from and at least one [[track]]".into()));
        }
        let raw: RawRuleSet = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            refuse(offset, e.message().trim().replace('\n', " "))
        })?;
        Compiler::new(origin, text).compile(raw, original)
    }

    /// Reads and checks one file.
    pub fn load_file(path: &Path) -> Result<RuleSet, RuleErrors> {
        let origin = path.display().to_string();
        let refuse = |message: String| {
            RuleErrors(vec![Diagnostic {
                file: origin.clone(),
                line: 1,
                column: 1,
                severity: Severity::Error,
                message,
            }])
        };
        let size = std::fs::metadata(path)
            .map_err(|e| refuse(format!("cannot read the file: {e}")))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(refuse(format!(
                "the file is {size} bytes, more than the 1 MiB limit; a rule set is a few kilobytes of text, so check that this is the right file"
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| refuse(format!("cannot read the file: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| refuse("the file is not UTF-8 text; save it as UTF-8".into()))?;
        Self::parse(&text, &origin)
    }
}
