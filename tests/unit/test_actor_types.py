"""ACLED actor types (inter codes) that the actor dictionary must give, by ACLED's own conventions."""

from __future__ import annotations

from sitrep.knowledge.actors import get_actors


def test_de_facto_state_forces_are_state_forces() -> None:
    """ACLED codes the forces of the de facto Artsakh authorities as state forces (1), not rebels."""
    found = get_actors().lookup("Artsakh Defense Army")
    assert found and found[0].acled_inter == 1 and found[0].sector == "MIL"
    assert found[0].name == "Military Forces of Artsakh (2007-)"
