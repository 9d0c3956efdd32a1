"""One module per `mot` command, each with `add_parser(parser)` and `run(args) -> int`."""
