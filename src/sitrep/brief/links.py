"""Where each number of a brief links to: the incidents it counts.

A set of filters the dashboard's form can express opens the dashboard's incident list with them
(`/?country=SYR&date_from=...`, which app.js reads from the address); filters it cannot (admin1,
bbox) open the API's incident list, which takes every filter, so the link still lists exactly the
incidents counted. One incident opens its dashboard page.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

# The dashboard form's fields (static/index.html) that carry a filter, and its sort.
DASHBOARD_FILTERS = frozenset({"country", "place", "actor", "type", "status", "kind", "date_from", "date_to", "q",
                               "sort"})


def incidents_url(base: str, params: Mapping[str, str]) -> str:
    """The list of incidents matching `params` (API filter names), under `base` ("" = same server)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    if set(params) <= DASHBOARD_FILTERS:
        return f"{base.rstrip('/')}/?{query}"
    return f"{base.rstrip('/')}/api/incidents?{query}"


def incident_url(base: str, incident_id: str) -> str:
    """One incident's dashboard page."""
    return f"{base.rstrip('/')}/incidents/{quote(incident_id, safe='')}"
