"""The Dagster code location: assets in pipeline order, the settings resource and the build job."""

from dagster import AssetSelection, Definitions, RetryPolicy, define_asset_job

from assets.dataset_release import dataset_release
from assets.duplicates import duplicates
from assets.indicators import indicators
from assets.io_manager import FrameStore
from assets.measures import measures
from assets.normalized_documents import normalized_documents
from assets.published_tables import published_tables
from assets.raw_files import raw_files
from assets.responsibilities import responsibilities
from assets.search_index import search_index
from assets.settings import PipelineSettings
from assets.targets import targets
from assets.validated_tables import validated_tables
from pipelines.automation import build_sensors

ALL_ASSETS = [
    raw_files,
    normalized_documents,
    measures,
    responsibilities,
    targets,
    indicators,
    duplicates,
    search_index,
    validated_tables,
    published_tables,
]

# Transient failures (a file being written while read, a full disk freed a minute later) get two more tries.
RETRY = RetryPolicy(max_retries=2, delay=10)
# Both jobs write WAREHOUSE_DIR: the deployment's run queue lets one run with this tag in at a time (the warehouse lock,
# assets/engine/lock.py, is the guarantee; this keeps a queued run from waiting on it).
WRITER_TAG = {"policy_measures/writes": "warehouse"}

build_job = define_asset_job(
    "build",
    selection=AssetSelection.assets(*ALL_ASSETS),  # includes the assets' checks
    description="Everything from RAW_DIR to the published tables in WAREHOUSE_DIR.",
    op_retry_policy=RETRY,
    tags=WRITER_TAG,
)

release_job = define_asset_job(
    "release",
    selection=AssetSelection.assets(dataset_release),
    description="Cut a versioned dataset release from the last published (validated) build.",
    op_retry_policy=RETRY,
    tags=WRITER_TAG,
)


def build_job_definition():
    """The resolved `build` job, for `dagster.reconstructable`: `make build` runs it with `execute_job`, which, unlike
    `execute_in_process`, does not keep every step's output in memory until the run ends."""
    return defs.resolve_job_def(build_job.name)


def pipeline_resources(settings: PipelineSettings) -> dict:
    """The resources every run of the assets needs: the folders, and where step outputs wait for the next steps
    (WAREHOUSE_DIR/staging/steps/, as Arrow files: `assets/io_manager.py`)."""
    staging = settings.warehouse_path / "staging"
    return {"settings": settings, "io_manager": FrameStore(folder=str(staging / "steps"))}


SETTINGS = PipelineSettings.from_env()
SENSORS, SCHEDULES = build_sensors(build_job, lambda: SETTINGS.raw_dir)

defs = Definitions(
    assets=ALL_ASSETS + [dataset_release],
    resources=pipeline_resources(SETTINGS),
    jobs=[build_job, release_job],
    sensors=SENSORS,
    schedules=SCHEDULES,
)
