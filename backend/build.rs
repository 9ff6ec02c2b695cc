//! The catalogue, templates, fonts and built CSS are embedded with `include_dir!`, which on
//! stable Rust does not tell Cargo to watch them: this does, so editing a form or a
//! template rebuilds the binary.

fn main() {
    for dir in ["../forms", "templates", "assets", "../frontend/dist"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
