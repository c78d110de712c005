# Paired-assistance audit: thin entry point; each stage lives in workflow/rules/.
import sys

from snakemake.utils import min_version, validate

min_version("9.0")

# the workflow's own package, for the input checks made while parsing (before any job)
sys.path.insert(0, f"{workflow.basedir}/src")
from pairing_audit.config_check import load_or_stop, schema_or_stop

load_or_stop("config/config.yaml")  # a YAML syntax error is named with its line


configfile: "config/config.yaml"


schema_or_stop(config, "workflow/schemas/config.schema.yaml")  # names each bad key
validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/models.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/report.smk"


# Every output of every rule above (deliverables() in common.smk), so deleting any
# of them and running plain `snakemake` rebuilds it and what depends on it.
rule all:
    default_target: True
    input:
        deliverables(),


onsuccess:
    print_claim_summary()
    release_scheduler_timers()


onerror:
    release_scheduler_timers()
