//! Storage: diesel lives only here. Functions take a connection and leave transactions to the
//! service layer.

mod certificates;
mod connection;
mod convert;
mod dossier;
mod figures;
mod financings;
mod firms;
pub mod schema;

pub use certificates::{insert_certificate, list_certificates};
pub use connection::{
    DatabaseUrl, DbConnection, DbPool, Manager, PoolOptions, build_pool, check_durability,
    run_migrations, write_transaction,
};
pub use dossier::load_dossier;
pub use figures::{list_years, put_year};
pub use financings::{insert_financing, list_financings};
pub use firms::{
    FirmFilter, find_firm, find_firm_id_by_uscc, insert_firm, list_firms, update_firm,
};
