//! The enterprise tiering registry: firms, their facts, tier rules and the promotion ledger.
//!
//! Layers, dependencies pointing down only: `startup` → `http` and `web` → `service` →
//! `storage` and `rules` → `domain`. `api_types` holds the wire formats shared by `http` and the CLI.

pub mod api_types;
pub mod bulk;
pub mod cli;
pub mod configuration;
pub mod domain;
pub mod http;
pub mod rules;
pub mod service;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web;
