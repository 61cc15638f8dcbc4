"""Local fake servers the tests, the benchmarks and the demo talk to."""
