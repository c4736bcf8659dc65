fn main() -> std::process::ExitCode {
    kubesight::cli::main()
}
