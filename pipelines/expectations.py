"""`python -m pipelines.expectations`: (re)write expectations/*.json from the table schema and rules."""

from assets.publishing.suites import SUITE_DIR, write_suites

if __name__ == "__main__":
    for path in write_suites(SUITE_DIR):
        print(f"wrote {path.relative_to(SUITE_DIR.parent)}")
