//! A bare actix-web endpoint: the ceiling the registry's read endpoints are measured against
//! (`scripts/bench.sh`). Same actix-web version and features as the service, none of its
//! middleware, storage or configuration: `GET` on any path answers a fixed 333-byte JSON body
//! from memory.
//!
//! Usage: `cargo run --release --example bare -- 127.0.0.1:18300`

use actix_web::http::header::ContentType;
use actix_web::{App, HttpResponse, HttpServer, web};

// The service's allocator, so the two binaries differ only in what the service does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About the size and shape of a small tier-counts answer.
const BODY: &str = concat!(
    r#"{"as_of":"2026-06-30","group_by":"track","counts":["#,
    r#"{"track":"unicorn","tier":"seed_unicorn","firms":212},"#,
    r#"{"track":"unicorn","tier":"potential_unicorn","firms":58},"#,
    r#"{"track":"unicorn","tier":"unicorn","firms":2400},"#,
    r#"{"track":"gazelle","tier":"gazelle","firms":2017},"#,
    r#"{"track":"high_tech","tier":"high_tech","firms":14811}],"total":19498}"#,
);
const _: () = assert!(BODY.len() == 333, "the body is 333 bytes");

async fn fixed() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(BODY)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18300".to_owned());
    // Default workers (one per core), as the service runs with `workers = 0`.
    HttpServer::new(|| App::new().default_service(web::get().to(fixed)))
        .bind(&bind)?
        .run()
        .await
}
