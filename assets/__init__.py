"""Pipeline stages as Dagster assets (thin) and the pure parsing code they call (`assets.lib`)."""
