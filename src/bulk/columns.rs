//! The documented columns of each file kind, with their Chinese and English headers.

use super::decode::FileError;

/// What one import file holds: one kind per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Firm records, one per USCC.
    Firms,
    /// Annual figures, one per USCC and fiscal year.
    Years,
    /// Financing rounds.
    Financings,
}

impl FileKind {
    /// Parses `firms`, `years` or `financings`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "firms" => Ok(Self::Firms),
            "years" => Ok(Self::Years),
            "financings" => Ok(Self::Financings),
            other => Err(format!(
                "unknown kind {other:?}: use firms, years or financings"
            )),
        }
    }

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Firms => "firms",
            Self::Years => "years",
            Self::Financings => "financings",
        }
    }

    /// The kind's columns, in documented order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::Firms => FIRM_COLUMNS,
            Self::Years => YEAR_COLUMNS,
            Self::Financings => FINANCING_COLUMNS,
        }
    }

    /// Guesses the kind from a header row: a fiscal year means figures, a closing date a
    /// round, a name a firm.
    pub fn detect(headers: &[String]) -> Result<Self, FileError> {
        let has = |field: &str| {
            headers
                .iter()
                .any(|h| column_of(h).is_some_and(|c| c == field))
        };
        if headers.iter().any(|h| h.trim().starts_with("tier_")) {
            // Read as figures (it has a year column), an export would be refused for its
            // `name` column, which says nothing of what to do.
            Err(FileError::Header(
                "this is an export of the registry: its tier_* columns are computed, not imported. Import its firm columns (uscc … status, the first eight) as a firm file and figures as a year file".into(),
            ))
        } else if has("fiscal_year") {
            Ok(Self::Years)
        } else if has("closed_on") {
            Ok(Self::Financings)
        } else if has("name") {
            Ok(Self::Firms)
        } else {
            Err(FileError::Header(
                "cannot tell what the file holds: firms need 企业名称/name, annual figures 年度/fiscal_year, financing rounds 交割日期/closed_on (or pass --kind)".into(),
            ))
        }
    }

    /// For each header cell, the index of its column in `columns()`. Unknown, duplicate and
    /// missing required columns are refused with their names.
    pub fn map_headers(self, headers: &[String]) -> Result<Vec<usize>, FileError> {
        let columns = self.columns();
        let mut seen: Vec<Option<usize>> = vec![None; columns.len()];
        let mut mapping = Vec::with_capacity(headers.len());
        for (position, header) in headers.iter().enumerate() {
            let field = column_of(header);
            let Some(index) = field.and_then(|f| columns.iter().position(|c| c.field == f)) else {
                return Err(FileError::Header(format!(
                    "column {} {header:?} is not a {} column; expected: {}",
                    position + 1,
                    self.as_str(),
                    columns
                        .iter()
                        .map(|c| format!("{}/{}", c.zh, c.field))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            if let Some(first) = seen[index] {
                return Err(FileError::Header(format!(
                    "columns {} and {} both hold {}/{}",
                    first + 1,
                    position + 1,
                    columns[index].zh,
                    columns[index].field
                )));
            }
            seen[index] = Some(position);
            mapping.push(index);
        }
        let missing: Vec<String> = columns
            .iter()
            .zip(&seen)
            .filter(|(c, s)| c.required && s.is_none())
            .map(|(c, _)| format!("{}/{}", c.zh, c.field))
            .collect();
        if !missing.is_empty() {
            return Err(FileError::Header(format!(
                "missing required column(s): {}",
                missing.join(", ")
            )));
        }
        Ok(mapping)
    }
}

/// One documented column: the API field name, its Chinese header, whether it must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The API field name, also accepted as the English header.
    pub field: &'static str,
    /// The Chinese header.
    pub zh: &'static str,
    /// Whether the header must be present.
    pub required: bool,
}

const fn col(field: &'static str, zh: &'static str, required: bool) -> Column {
    Column {
        field,
        zh,
        required,
    }
}

const FIRM_COLUMNS: &[Column] = &[
    col("uscc", "统一社会信用代码", true),
    col("name", "企业名称", true),
    col("name_en", "英文名称", false),
    col("region_code", "所属区域", true),
    col("industry_code", "所属行业", true),
    col("founded_on", "成立日期", true),
    col("listed_on", "上市日期", false),
    col("status", "经营状态", false),
    col("credit_ok", "信用良好", false),
    col("tech_firm", "科技型企业", false),
    col("key_tech_breakthrough", "关键核心技术突破", false),
    col("in_gazelle_pool", "瞪羚培育库", false),
    col("in_key_tech_field", "重点支持领域", false),
    col("major_violation_on", "重大违法日期", false),
];

const YEAR_COLUMNS: &[Column] = &[
    col("uscc", "统一社会信用代码", true),
    col("fiscal_year", "年度", true),
    col("revenue", "营业收入", false),
    col("rd_expense", "研发费用", false),
    col("rd_expense_domestic", "境内研发费用", false),
    col("high_tech_revenue", "高新技术产品收入", false),
    col("total_assets", "资产总额", false),
    col("net_assets", "净资产", false),
    col("employees", "职工总数", false),
    col("tech_staff", "科技人员数", false),
    col("ip_class1", "一类知识产权", false),
    col("ip_class2", "二类知识产权", false),
    col("innovation_score", "创新能力评分", false),
];

const FINANCING_COLUMNS: &[Column] = &[
    col("uscc", "统一社会信用代码", true),
    col("closed_on", "交割日期", true),
    col("round", "轮次", true),
    col("amount", "融资金额", false),
    col("amount_currency", "融资币种", false),
    col("post_money_valuation", "投后估值", false),
    col("valuation_currency", "估值币种", false),
    col("investor_kind", "投资方类型", true),
];

/// The API field a header names (English field name, case-insensitive, or Chinese header).
fn column_of(header: &str) -> Option<&'static str> {
    let header = header.trim();
    [FIRM_COLUMNS, YEAR_COLUMNS, FINANCING_COLUMNS]
        .iter()
        .flat_map(|cols| cols.iter())
        .find(|c| c.zh == header || c.field.eq_ignore_ascii_case(header))
        .map(|c| c.field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn chinese_and_english_headers_name_the_same_columns_and_the_kind_is_detected() {
        let h = headers(&[
            "统一社会信用代码",
            "企业名称",
            "region_code",
            "所属行业",
            "founded_on",
        ]);
        assert_eq!(FileKind::detect(&h), Ok(FileKind::Firms));
        assert_eq!(FileKind::Firms.map_headers(&h), Ok(vec![0, 1, 3, 4, 5]));
        let y = headers(&["uscc", "年度", "营业收入"]);
        assert_eq!(FileKind::detect(&y), Ok(FileKind::Years));
    }

    #[test]
    fn an_export_is_recognised_and_told_how_to_import_it() {
        let export = headers(&["uscc", "name", "tier_unicorn", "fiscal_year", "revenue"]);
        let err = FileKind::detect(&export).expect_err("an export is not one kind");
        assert!(err.to_string().contains("first eight"), "{err}");
    }

    #[test]
    fn duplicate_missing_and_unknown_columns_are_refused_by_name() {
        let dup = headers(&[
            "uscc",
            "统一社会信用代码",
            "name",
            "region_code",
            "industry_code",
            "founded_on",
        ]);
        let err = FileKind::Firms.map_headers(&dup).expect_err("duplicate");
        assert!(err.to_string().contains("columns 1 and 2"), "{err}");
        let missing = headers(&["uscc", "name"]);
        let err = FileKind::Firms.map_headers(&missing).expect_err("missing");
        assert!(err.to_string().contains("所属区域/region_code"), "{err}");
        let unknown = headers(&["uscc", "name", "tier"]);
        let err = FileKind::Firms.map_headers(&unknown).expect_err("unknown");
        assert!(err.to_string().contains("\"tier\""), "{err}");
    }
}
