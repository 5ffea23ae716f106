"""The offline gazetteer: GeoNames places, countries, admin1 and admin2 units, regions and
hand-kept places, compiled once into an indexed SQLite table (see `build`), looked up by name
with transliteration variants (see `names`) and fuzzy matching (see `store`)."""

from sitrep.knowledge.gazetteer.build import GAZETTEER_FORMAT, build, default_path, source_key
from sitrep.knowledge.gazetteer.names import name_variants, normalize, similarity, skeleton
from sitrep.knowledge.gazetteer.store import Candidate, Gazetteer, Place, distance_km, get_gazetteer

__all__ = ["GAZETTEER_FORMAT", "Candidate", "Gazetteer", "Place", "build", "default_path", "distance_km",
           "get_gazetteer", "name_variants", "normalize", "similarity", "skeleton", "source_key"]
