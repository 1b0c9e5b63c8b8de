"""Capacity benchmark: a load generator driving real visitor and counselor clients against Lykta nodes and a bare
websockets relay (`python -m bench.run`, `make bench`). Not part of the test suite."""
