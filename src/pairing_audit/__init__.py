"""Audit of the numbers in published research on China's paired-assistance policy (对口支援).

All computation lives here as pure functions on DataFrames; Snakemake rule scripts
in workflow/scripts only read inputs, call this package and write outputs.
"""

__version__ = "0.1.0"
