"""Benchmarks (not tests): real-time fan-out, search latency, page serving.

Each measures our stack next to a reference in the same run, because the machines are shared
and noisy: ratios hold where absolute times do not. See docs/benchmarks.md.

    python -m bench.realtime [--quick]
    python -m bench.search [--quick]
    python -m bench.pages [--quick]

Everything runs in throwaway databases under var/bench/, never on development data.
"""
