"""The API against SQLite on 100,000 generated events; the same as `claimline bench serve`.

    .venv/bin/python benchmarks/serve_bench.py [--events N] [--repeat R] [--json]
"""

from claimline.cli import main

if __name__ == "__main__":
    import sys

    sys.argv = ["claimline", "bench", "serve", *sys.argv[1:]]
    main()
