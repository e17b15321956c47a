//! Prints the roles table of docs/roles.md: `cargo run -p bmma-core --example roles_table`.

fn main() {
    print!("{}", bmma_core::access::markdown_table());
}
