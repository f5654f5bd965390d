//! `tier-registry classify --rules PATH --as-of DATE`: dossiers as JSON lines in, one result
//! line per input line out, in order; a bad line gives an error line and the run continues.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, anyhow};
use chrono::{NaiveDate, Utc};
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::configuration::Settings;
use crate::domain::{FieldError, RegionCatalog, date_in_shanghai};
use crate::inputs::{DossierInput, ParseContext};
use crate::rules::{Assessment, EvalContext, RuleLibrary, RuleSet, Tiers, evaluate};

/// `tier-registry classify`: dossiers from standard input, results to standard output, with
/// the configured city's districts.
pub fn classify_command(config_dir: &Path, rules: &Path, as_of: NaiveDate) -> anyhow::Result<()> {
    let settings = Settings::load(config_dir)?;
    let input = std::io::BufReader::new(std::io::stdin().lock());
    classify(
        rules,
        as_of,
        &settings.city,
        input,
        std::io::stdout().lock(),
    )
}

/// Classifies every dossier read from `input` (JSON lines of `DossierInput`) as of `as_of`,
/// writing `{"line":N,"tiers":{track: tier|null,…},"assessment":{…}}` or
/// `{"line":N,"error":{"kind":…,"message":…,"fields":[…]}}` per input line (blank lines
/// included). `rules` is a file (used whatever its effective date) or a directory (the version
/// in force on `as_of`). Fails only if the rules cannot be loaded or I/O fails.
pub fn classify(
    rules: &Path,
    as_of: NaiveDate,
    catalog: &RegionCatalog,
    input: impl BufRead,
    mut out: impl Write,
) -> anyhow::Result<()> {
    let set = load(rules, as_of)?;
    // Records dated after `as_of` are valid data, merely ignored by the metrics, so the
    // "not in the future" checks use the later of today and `as_of`.
    let today = date_in_shanghai(Utc::now()).max(as_of);
    let parse_ctx = ParseContext { catalog, today };
    let ctx = EvalContext::new(as_of, catalog);
    // Lines are split by bytes so that one line of bad UTF-8 is reported, not fatal.
    for (index, bytes) in input.split(b'\n').enumerate() {
        let bytes = bytes.context("Failed to read a line of input")?;
        let number = index + 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(&bytes);
        let Ok(line) = std::str::from_utf8(bytes) else {
            let message = "the line is not UTF-8 text".to_owned();
            writeln!(out, "{}", error_line(number, "encoding", message, &[]))
                .context("Failed to write a result line")?;
            continue;
        };
        let result = match serde_json::from_str::<DossierInput>(line) {
            Err(e) if line.trim().is_empty() => {
                error_line(number, "empty", format!("empty line ({e})"), &[])
            }
            Err(e) => error_line(number, "json", e.to_string(), &[]),
            Ok(input) => match input.parse(parse_ctx) {
                Err(errors) => error_line(number, "invalid", errors.to_string(), &errors.0),
                Ok(dossier) => {
                    let assessment = evaluate(&set, &dossier, &ctx);
                    serde_json::to_string(&Classified {
                        line: number,
                        tiers: NamedTiers(&set, assessment.tiers()),
                        assessment: &assessment,
                    })?
                }
            },
        };
        writeln!(out, "{result}").context("Failed to write a result line")?;
    }
    out.flush().context("Failed to flush the output")?;
    Ok(())
}

fn load(rules: &Path, as_of: NaiveDate) -> anyhow::Result<RuleSet> {
    if rules.is_dir() {
        let library = RuleLibrary::load_dir(rules).map_err(|e| anyhow!("{e}"))?;
        library
            .in_force(as_of)
            .cloned()
            .ok_or_else(|| anyhow!("no rule set in {} is in force on {as_of}", rules.display()))
    } else {
        RuleSet::load_file(rules).map_err(|e| anyhow!("{e}"))
    }
}

fn error_line(line: usize, kind: &str, message: String, fields: &[FieldError]) -> String {
    serde_json::json!({ "line": line, "error": { "kind": kind, "message": message, "fields": fields } })
        .to_string()
}

#[derive(Serialize)]
struct Classified<'a> {
    line: usize,
    tiers: NamedTiers<'a>,
    assessment: &'a Assessment,
}

/// Tiers as a JSON object in the rule set's track order.
struct NamedTiers<'a>(&'a RuleSet, Tiers);

impl Serialize for NamedTiers<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let named = self.1.named(self.0);
        let mut map = serializer.serialize_map(Some(named.len()))?;
        for (track, tier) in named {
            map.serialize_entry(track, &tier)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRM: &str = r#"{"firm":{"uscc":"91350100M000100Y43","name":"测试科技有限公司","region_code":"320411","industry_code":"I65","founded_on":"2020-01-01","credit_ok":true,"tech_firm":true},"financings":[{"closed_on":"2023-05-01","round":"B轮","post_money_valuation":{"value":60000000,"currency":"USD"},"investor_kind":"professional_institution"}]}"#;

    fn run(input: &str) -> Vec<serde_json::Value> {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules");
        let day = NaiveDate::from_ymd_opt(2024, 6, 30).expect("date");
        let mut out = Vec::new();
        classify(
            &rules,
            day,
            &RegionCatalog::changzhou(),
            input.as_bytes(),
            &mut out,
        )
        .expect("runs");
        String::from_utf8(out)
            .expect("UTF-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect()
    }

    #[test]
    fn each_input_line_gives_one_output_line_in_order_and_bad_lines_do_not_stop_the_run() {
        let input = format!(
            "{FIRM}\nnot json\n\n{}\n",
            FIRM.replace("91350100M000100Y43", "91350100M000100Y44")
        );
        let lines = run(&input);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["line"], 1);
        assert_eq!(lines[0]["tiers"]["unicorn"], "potential_unicorn");
        assert_eq!(lines[0]["tiers"]["gazelle"], serde_json::Value::Null);
        assert_eq!(
            lines[0]["assessment"]["rule_set"]["id"],
            "changzhou-default"
        );
        assert_eq!(lines[1]["error"]["kind"], "json");
        assert_eq!(lines[2]["error"]["kind"], "empty");
        assert_eq!(lines[3]["line"], 4);
        assert_eq!(lines[3]["error"]["kind"], "invalid");
        assert_eq!(lines[3]["error"]["fields"][0]["field"], "firm.uscc");
    }

    #[test]
    fn a_directory_without_a_set_in_force_is_an_error() {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules");
        let day = NaiveDate::from_ymd_opt(2023, 12, 31).expect("date");
        let result = classify(
            &rules,
            day,
            &RegionCatalog::changzhou(),
            "".as_bytes(),
            Vec::new(),
        );
        assert!(result.is_err());
    }

    #[test]
    fn a_line_that_is_not_utf8_is_reported_and_the_run_continues() {
        let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rules");
        let day = NaiveDate::from_ymd_opt(2024, 6, 30).expect("date");
        let mut input = vec![0xff, 0xfe, b'\n'];
        input.extend_from_slice(FIRM.as_bytes());
        let mut out = Vec::new();
        classify(
            &rules,
            day,
            &RegionCatalog::changzhou(),
            input.as_slice(),
            &mut out,
        )
        .expect("runs");
        let text = String::from_utf8(out).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("\"encoding\""), "{}", lines[0]);
        assert!(lines[1].contains("\"line\":2,\"tiers\""), "{}", lines[1]);
    }
}
