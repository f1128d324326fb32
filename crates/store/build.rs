// `sqlx::migrate!` embeds the migration files: a new or changed one must rebuild this crate.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
