/// mimalloc rather than the system allocator: on the national benchmark
/// (`mognad bench --case national`, 2 cores) 316 s and a peak of 500 MiB
/// against glibc's 336 s and 739 MiB, whose per-thread arenas keep what
/// the rendering threads free. A single municipality peaks higher (261
/// against 185 MiB) and runs faster (5,4 against 6,0-6,5 s). See the
/// README's Performance section.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    mognad::cli::ignore_file_size_signal();
    std::process::exit(mognad::cli::main());
}
