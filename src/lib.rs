//! The enterprise tiering registry: firms, their facts, tier rules and the promotion ledger.
//!
//! Layers, dependencies pointing down only: `startup` → `http` and `web` → `service` →
//! `storage` and `rules` → `domain`; `auth` is the gate both faces share and names neither.
//! `inputs` (requests that parse into domain types) sits below the service, which takes
//! them; the API's response views are `http::views`.

pub mod auth;
pub mod bulk;
pub mod cli;
pub mod configuration;
pub mod domain;
pub mod http;
pub mod inputs;
pub mod rules;
pub mod service;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web;
