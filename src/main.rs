fn main() {
    std::process::exit(mognad::cli::main());
}
