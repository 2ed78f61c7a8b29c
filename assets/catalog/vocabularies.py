"""The closed vocabularies of the published tables: what a provision's kind, a body's role, a target's comparator and
a problem's stage can be. The expectation suites check the tables against them; the domain code writes them."""

KINDS = ("measure", "safeguard", "goal", "principle")  # measures.kind
ROLES = ("lead", "cooperating", "responsible")  # measure_units.role
COMPARATORS = ("<=", ">=", "=", "~", "range")  # targets.comparator
QUARANTINE_STAGES = ("inventory", "manifest", "decode", "normalize", "outline")  # quarantine.stage: where a document stopped
WARNING_STAGES = ("metadata", "decode", "outline", "responsibility", "manifest", "deduplicate", "plausibility")  # parse_warnings.stage
# Words of a metric that changes (grows or shrinks): a `%` target of such a metric is a change, not a share of a whole,
# so it may exceed 100.
GROWTH_OR_REDUCTION = r"增长|增幅|增速|提高|提升|降低|下降|减少|压减|压缩|缩减|精简|缩短"
