//! Loading everything the rules need about one firm.

use uuid::Uuid;

use super::StorageResult;
use super::{DbConnection, find_firm, list_certificates, list_financings, list_years};
use crate::domain::{Dossier, Firm};

/// The firm with its years, rounds and certificates, if it exists.
pub fn load_dossier(
    conn: &mut DbConnection,
    firm_id: Uuid,
) -> StorageResult<Option<(Firm, Dossier)>> {
    let Some(firm) = find_firm(conn, firm_id)? else {
        return Ok(None);
    };
    let dossier = Dossier {
        firm: firm.profile.clone(),
        years: list_years(conn, firm_id)?,
        // Withdrawn records stay stored but are not listed here: they no longer count.
        financings: list_financings(conn, firm_id)?
            .into_iter()
            .map(|(f, _)| f)
            .collect(),
        certificates: list_certificates(conn, firm_id)?
            .into_iter()
            .map(|(c, _)| c)
            .collect(),
    };
    Ok(Some((firm, dossier)))
}
