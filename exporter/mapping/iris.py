"""The IRI policy, in one place.

IRIs are deterministic and stable: the same input gives the same IRI in every run, on
every machine and whatever the number of workers. A trial is named by its register and
id, so the same trial from ICTRP and from ClinicalTrials.gov is one node; a country by
its ISO code; a sponsor by its reconciliation key (:mod:`exporter.normalize.organisations`);
a condition or intervention by its normalised label, so the same name in two records is one
node (a MeSH descriptor the source gives is linked from that node, not minted into its IRI:
two labels with one descriptor stay two nodes that meet at the descriptor). An export run
and the exporter's version are named by the version and the export time, so a re-run with
the same ``SOURCE_DATE_EPOCH`` names them alike. Parts of a trial (outcomes, contacts,
identifiers) are named under the trial: they get IRIs, not blank nodes, because people link
to them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import quote

from ..normalize.identifiers import canonical_trial_id, member_state
from ..normalize.organisations import organisation_key
from ..normalize.text import folded
from ..record import Identifier, Trial
from .terms import IRI

DEFAULT_BASE = "http://localhost:8000/"
_NOT_WORD = re.compile(r"[\W_]+")
# Bound of the caches of slugs and segments: the labels that recur across records (sponsors, conditions,
# countries, the fixed words of part IRIs) stay in, one-off ones (titles of outcomes, ids) pass through.
CACHED = 1 << 14


@lru_cache(maxsize=CACHED)
def slug(label: str) -> str:
    """A readable, conservative key for a label, the one rule of every shared node (conditions, interventions,
    organisations' reconciliation keys): case, compatibility forms, the accents of Latin, Greek and Cyrillic
    letters, punctuation and spacing do not matter; letters of every script are kept."""
    key = _NOT_WORD.sub("-", folded(label)).strip("-")
    if not key:  # all punctuation: name it by a digest of the text itself
        key = hashlib.sha1(label.encode()).hexdigest()[:16]
    return quote(key, safe="-")


@lru_cache(maxsize=CACHED)
def segment(value: str) -> str:
    """One path segment: everything outside RFC 3986's unreserved characters is percent-encoded,
    so ids with slashes, spaces, unicode or control characters still give valid IRIs."""
    return quote(value, safe="")


class Iris:
    """Mints the IRIs of one export under a base IRI (``--base-iri``)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+$", base, re.I):
            raise ValueError(f"not an absolute IRI: {base!r}")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _mint(self, *segments: str) -> IRI:
        return IRI(self.base + "/".join(segments))

    def trial(self, identifier: Identifier) -> IRI:
        scheme, value = canonical_trial_id(identifier)
        return self._mint("trial", scheme.casefold(), segment(value))

    def record(self, trial: Trial) -> IRI:
        """The named graph of one source record: ICTRP's and CT.gov's records of a trial are two graphs."""
        return self._mint("record", _family(trial), segment(trial.trial_id.value))

    def registration(self, trial: Trial) -> IRI:
        """A record's registration of its trial, under the trial: EUCTR's in one member state
        (``{trial}/registration/HU``), else the source family's (``{trial}/registration/ctgov``), with the
        record's id when it is not the trial's own (``…/registration/ictrp/JPRN-jRCT2071210009``)."""
        state = member_state(trial.trial_id)
        if state is not None:
            return Iris.part(self.trial(trial.trial_id), "registration", state)
        _, own = canonical_trial_id(trial.trial_id)
        family = _family(trial)
        path = (family,) if own == trial.trial_id.value else (family, trial.trial_id.value)
        return Iris.part(self.trial(trial.trial_id), "registration", *path)

    def registry(self, scheme: str | None, register: str) -> IRI:
        return self._mint("registry", scheme.casefold() if scheme else slug(register))

    def organisation(self, name: str) -> IRI:
        return self._mint("organisation", _organisation_slug(name))

    def country(self, code: str) -> IRI:
        return self._mint("country", code)

    def condition(self, label: str) -> IRI:
        return self._mint("condition", slug(label))

    def intervention(self, label: str) -> IRI:
        return self._mint("intervention", slug(label))

    def therapeutic_area(self, tree_number: str) -> IRI:
        return self._mint("therapeutic-area", segment(tree_number))

    def exporter(self, version: str) -> IRI:
        """The exporter at one version, the software agent of every run of that version."""
        return self._mint("exporter", segment(version))

    def export_run(self, version: str, exported_at: datetime) -> IRI:
        """One export run: the version that ran and when (UTC, to the second)."""
        when = exported_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return self._mint("export", segment(version), when)

    def shared_graph(self) -> IRI:
        """The named graph an export states shared nodes' descriptions and its own provenance in, once each."""
        return self._mint("graph", "shared")

    @staticmethod
    def part(trial: IRI, *path: str | int) -> IRI:
        """A part of a trial: ``{trial}/outcome/primary/1``."""
        return IRI(trial + "/" + _path(path))


def _family(trial: Trial) -> str:
    """The register family a record was read from: ClinicalTrials.gov's own, or ICTRP's."""
    return "ctgov" if trial.provenance.format.startswith("ctgov") else "ictrp"


@lru_cache(maxsize=CACHED)
def _path(parts: tuple[str | int, ...]) -> str:
    """The path of a part under its trial: the same few (``outcome/primary/1``) in every record."""
    return "/".join([segment(str(p)) for p in parts])


@lru_cache(maxsize=CACHED)
def _organisation_slug(name: str) -> str:
    return slug(organisation_key(name))
