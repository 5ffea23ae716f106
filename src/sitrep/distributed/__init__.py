"""Beyond one machine: `sitrep run` maps the pipeline over partitions of documents on a Dask
distributed cluster and writes Parquet; `sitrep load` puts the result into a store (DESIGN.md 11).

The cluster is Dask's (a scheduler address, or a LocalCluster); nothing here schedules, retries
or moves data itself. Reading the inputs and the duplicate decisions stay on the client, as in
`sitrep ingest`; workers extract and write one set of files per partition; one loader writes
the store, through the store's own batch writer.
"""

from sitrep.distributed.load import LoadReport, load
from sitrep.distributed.run import RunReport, run

__all__ = ["LoadReport", "RunReport", "load", "run"]
