"""Correct the rule-based ACLED sub-types with a user's trained model (`sitrep train acled`), when there is one.

Without a trained model this component does nothing and the rule coder's ACLED types stand.
With one, each event the rules gave an ACLED type is shown to the model (the rules' verdict and
the words around it, `adapt.features`); the model's sub-type replaces the rules' only where it is
confident (the threshold and margin chosen when it was trained). Events the rules give no ACLED
type (accusations, threats, talks without a deal) stay out of ACLED, as ACLED itself leaves them.
"""

from __future__ import annotations

from sitrep.adapt.features import event_features
from sitrep.adapt.model import default_model_path, load_model
from sitrep.components.base import BaseComponent
from sitrep.document import Document


class AcledModel(BaseComponent):
    """Re-types ACLED sub-events with the trained model at `path` (default: the user's data folder).

    `min_probability` and `margin` can only make it more cautious than the threshold and margin it
    was trained with (the larger of the two applies), so the default 0 leaves the model's own.
    """

    def __init__(self, *, path: str | None = None, min_probability: float = 0.0, margin: float = 0.0) -> None:
        self.path = str(path or default_model_path())
        self.min_probability = min_probability
        self.margin = margin

    def __call__(self, doc: Document) -> Document:
        model = load_model(self.path)
        if model is None:
            return doc
        # every decision reads the rules' verdicts as they were, not as corrected for an earlier event
        targets = [e for e in doc.events if e.acled.get("event_type")]
        features = [event_features(doc, e) for e in targets]
        for event, feats in zip(targets, features, strict=True):
            change = model.correct(feats, event.acled.get("sub_event_type"),
                                   threshold=max(model.threshold, self.min_probability),
                                   margin=max(model.margin, self.margin))
            if change and change[0]:
                event.acled = {"event_type": change[0], "sub_event_type": change[1]}
        return doc
