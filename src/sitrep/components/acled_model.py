"""Apply a user's trained ACLED sub-event classifier (`sitrep train acled`), when there is one.

Without a trained model this component does nothing and the crosswalk's rule-based ACLED
types stand. With one, every event that has an ACLED type takes the model's sub-event type
(and its event type) from its evidence sentence; events the crosswalk gives no ACLED type
(accusations, threats, talks without a deal) stay out of ACLED, as ACLED itself leaves them.
"""

from __future__ import annotations

from sitrep.adapt.model import default_model_path, load_model
from sitrep.components.base import BaseComponent
from sitrep.document import Document


class AcledModel(BaseComponent):
    """Re-types ACLED sub-events with the trained model at `path` (default: the user's data folder)."""

    def __init__(self, *, path: str | None = None, min_probability: float = 0.0) -> None:
        self.path = str(path or default_model_path())
        self.min_probability = min_probability

    def __call__(self, doc: Document) -> Document:
        model = load_model(self.path)
        if model is None:
            return doc
        for event in doc.events:
            if not event.acled.get("event_type"):
                continue
            text = doc.text[event.sentence.start : event.sentence.end]
            event_type, sub_event_type, probability = model.predict(text)
            if probability >= self.min_probability and event_type:
                event.acled = {"event_type": event_type, "sub_event_type": sub_event_type}
        return doc
