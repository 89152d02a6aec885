"""Reference outputs (goldens) the tests compare against; regenerate with `python -m tests.golden.regenerate`."""
