"""Benchmarks: `make bench` runs every bench/bench_*.py, `make bench NAME=x` one of them."""
