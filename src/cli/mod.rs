//! Command-line entry points, wired into clap by `main.rs`.
