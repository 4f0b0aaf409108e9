//! The `spec-kitty-events` command line (placeholder until the CLI lands).

fn main() {
    println!("spec-kitty-events {}", env!("CARGO_PKG_VERSION"));
}
