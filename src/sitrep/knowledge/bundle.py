"""`Knowledge`: what the pipeline's components look things up in, loaded once per pipeline.

The actor dictionary (the shipped files and a user's own), the gazetteer (compiled with a user's
extra gazetteer files) and the PLOVER ontology. `Pipeline.from_config` builds one `Knowledge` from
the config (`components.places.extra_files`, `components.actors.extra_files`) and hands the same
instance to every component that takes one, so the place recogniser and the place linker of the
event layer read the same gazetteer, and the actor recogniser and the event layer the same actors.
A component built alone (in a test, a notebook) falls back to `default_knowledge()`: the shipped
files only.

Loading goes through the per-process caches of each source (`get_actors`, `get_gazetteer`,
`get_ontology`), so two pipelines with the same files share one copy, and nothing is read twice.
The small data-file lexicons a single component uses (figures.yaml, narrative.yaml, ...) stay with
that component: no user setting changes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each source is imported when first used: `import sitrep` stays light
    from sitrep.knowledge.actors import ActorDictionary
    from sitrep.knowledge.gazetteer import Gazetteer
    from sitrep.knowledge.ontology import Ontology


class Knowledge:
    """The actors, gazetteer and ontology a pipeline's components share.

    Each is loaded on first use (a pipeline without the place recogniser never opens the gazetteer),
    once; or given already loaded (`Knowledge(gazetteer=my_gazetteer)`, in tests)."""

    def __init__(self, *, gazetteer_files: Iterable[str | Path] = (), actor_files: Iterable[str | Path] = (),
                 actors: ActorDictionary | None = None, gazetteer: Gazetteer | None = None,
                 ontology: Ontology | None = None) -> None:
        self.gazetteer_files = tuple(str(Path(f).resolve()) for f in gazetteer_files)  # user files, absolute
        self.actor_files = tuple(str(f) for f in actor_files)
        for name, value in (("actors", actors), ("gazetteer", gazetteer), ("ontology", ontology)):
            if value is not None:
                self.__dict__[name] = value  # what cached_property would have stored

    @classmethod
    def load(cls, *, gazetteer_files: Iterable[str | Path] = (), actor_files: Iterable[str | Path] = ()) -> Knowledge:
        """The shipped knowledge plus the user's own gazetteer and actor files (loaded when first used)."""
        return cls(gazetteer_files=gazetteer_files, actor_files=actor_files)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Knowledge:
        """The knowledge a config asks for: `[components.places] extra_files` (gazetteer files) and
        `[components.actors] extra_files` (actor files)."""
        components = config.get("components") or {}
        return cls.load(gazetteer_files=(components.get("places") or {}).get("extra_files") or (),
                        actor_files=(components.get("actors") or {}).get("extra_files") or ())

    @cached_property
    def actors(self) -> ActorDictionary:
        from sitrep.knowledge.actors import get_actors

        # get_actors() and get_actors(()) are two entries of its cache: ask as the module helpers ask
        return get_actors(self.actor_files) if self.actor_files else get_actors()

    @cached_property
    def gazetteer(self) -> Gazetteer:
        from sitrep.knowledge.gazetteer import get_gazetteer

        return get_gazetteer(self.gazetteer_files) if self.gazetteer_files else get_gazetteer()

    @cached_property
    def ontology(self) -> Ontology:
        from sitrep.knowledge.ontology import get_ontology

        return get_ontology()

    def __repr__(self) -> str:
        return f"Knowledge(gazetteer_files={self.gazetteer_files!r}, actor_files={self.actor_files!r})"


_DEFAULT: Knowledge | None = None


def default_knowledge() -> Knowledge:
    """The shipped actors, gazetteer and ontology, one instance per process: a component's fallback
    when it is built without a pipeline."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Knowledge()
    return _DEFAULT
