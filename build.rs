//! Tells the test suite whether PostgreSQL is configured, so that without `TEST_DATABASE_URL`
//! the PostgreSQL variants of the tests are reported as ignored (with the reason) instead of
//! passing without running. libtest has no run-time skip, so the decision is made at build
//! time; `cargo test` builds and runs in one command with the same environment.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var_os("TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
