fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "forms".into());
    match okienko::forms::check::check_dir(std::path::Path::new(&dir)) {
        Ok((c, n)) => println!("ok: {} services, {} examples", c.services.len(), n),
        Err(p) => p.iter().for_each(|p| println!("{p}")),
    }
}
