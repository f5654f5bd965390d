//! A whole firm in one JSON document, as `classify` reads it.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::{CertificateInput, FinancingInput, FirmInput, ParseContext, YearInput};
use crate::domain::{Dossier, FieldError, ValidationErrors};

/// `{"firm":{…},"years":[…],"financings":[…],"certificates":[…]}` with the API's field names.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    /// As for `POST /firms`.
    pub firm: FirmInput,
    /// As for `PUT /firms/{id}/years/{fiscal_year}`, with `fiscal_year` in each entry.
    #[serde(default)]
    pub years: Vec<YearInput>,
    /// As for `POST /firms/{id}/financings`.
    #[serde(default)]
    pub financings: Vec<FinancingInput>,
    /// As for `POST /firms/{id}/certificates`.
    #[serde(default)]
    pub certificates: Vec<CertificateInput>,
}

impl DossierInput {
    /// Checks every part; field names in errors carry their position (`years[1].revenue`).
    pub fn parse(&self, ctx: ParseContext<'_>) -> Result<Dossier, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let firm = match self.firm.parse(ctx) {
            Ok(f) => Some(f),
            Err(e) => {
                errors.0.extend(e.0.into_iter().map(|e| e.under("firm")));
                None
            }
        };
        let founded = firm.as_ref().map(|f| f.founded_on);
        let mut years = Vec::with_capacity(self.years.len());
        for (i, y) in self.years.iter().enumerate() {
            match y.parse(None, founded.map(|d| d.year()), ctx) {
                Ok(y) => {
                    if years
                        .iter()
                        .any(|o: &crate::domain::AnnualFigures| o.fiscal_year == y.fiscal_year)
                    {
                        errors.push(FieldError::new(
                            format!("years[{i}].fiscal_year"),
                            "duplicate",
                            format!("{} appears twice", y.fiscal_year),
                        ));
                    }
                    years.push(y);
                }
                Err(e) => errors
                    .0
                    .extend(e.0.into_iter().map(|e| e.under(&format!("years[{i}]")))),
            }
        }
        let mut financings = Vec::with_capacity(self.financings.len());
        for (i, f) in self.financings.iter().enumerate() {
            match f.parse(founded, ctx) {
                Ok(f) => financings.push(f),
                Err(e) => errors.0.extend(
                    e.0.into_iter()
                        .map(|e| e.under(&format!("financings[{i}]"))),
                ),
            }
        }
        let mut certificates = Vec::with_capacity(self.certificates.len());
        for (i, c) in self.certificates.iter().enumerate() {
            match c.parse(ctx) {
                Ok(c) => certificates.push(c),
                Err(e) => errors.0.extend(
                    e.0.into_iter()
                        .map(|e| e.under(&format!("certificates[{i}]"))),
                ),
            }
        }
        match firm {
            Some(firm) if errors.is_empty() => Ok(Dossier {
                firm,
                years,
                financings,
                certificates,
            }),
            _ => Err(errors),
        }
    }
}
