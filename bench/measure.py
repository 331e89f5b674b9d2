"""Timing shared by the benchmark workers."""

import statistics
import time


def timings(function, rounds):
    """(median, 95th percentile) seconds of ``rounds`` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
