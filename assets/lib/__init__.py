"""Pure, Dagster-free functions that turn raw policy texts into table rows."""
