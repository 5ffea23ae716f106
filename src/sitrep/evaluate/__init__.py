"""Scorers against gold files in the formats users hold: ACLED CSV, PLOVER JSON, quad TSV, geoparsing XML.

Each scorer reads its format into small gold items, runs the pipeline over them in batches and
returns a plain dict of figures (None where nothing was measurable); `sitrep eval` prints it.
"""

from sitrep.evaluate.acled import read_acled, score_acled
from sitrep.evaluate.geo import read_geo, score_geo
from sitrep.evaluate.plover import read_plover, score_plover
from sitrep.evaluate.quad import read_quad, score_quad

__all__ = ["read_acled", "read_geo", "read_plover", "read_quad", "score_acled", "score_geo", "score_plover",
           "score_quad"]
