"""Publishing: validation against the expectation suites, the warehouse (Parquet + DuckDB), views, releases."""
