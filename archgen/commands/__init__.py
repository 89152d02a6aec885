"""The archgen subcommands, one module per command group; `archgen.cli` registers them and maps errors."""
