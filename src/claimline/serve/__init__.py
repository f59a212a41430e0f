"""`claimline serve`: the HTTP API over an event store and the offline map page.

    app.py        the FastAPI application (create_app, ServeSettings)
    views.py      what the API answers, built from store records
    assets.py     where the page's npm packages are found
    limits.py     the request-body cap
    command.py    the `claimline serve` command
    benchmark.py  `claimline bench serve`: the API against SQLite on 100,000 events
    load.py       `claimline bench load`: the API under load from a second process

Nothing here is imported with the package, so the CLI starts without loading FastAPI.
"""
