"""`claimline serve` under load from a second process; the same as `claimline bench load`.

    .venv/bin/python benchmarks/load.py [--events N] [--requests N] [--concurrency C] [--seconds S] [--db DB] [--json]
"""

from claimline.cli import main

if __name__ == "__main__":
    import sys

    sys.argv = ["claimline", "bench", "load", *sys.argv[1:]]
    main()
