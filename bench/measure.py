"""What the benchmarks share: reading a process's memory."""

import resource
import sys
from pathlib import Path


def resident_mb(field: str) -> float:
    """Resident memory from /proc (Linux); elsewhere the peak that getrusage reports."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
