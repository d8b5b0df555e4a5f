"""One trial, one value per single-valued fact, however many records it is read from.

A trial may be read from several records in one run: EUCTR publishes one record per member
state (``EUCTR2021-000037-14-HU`` and ``…-DK`` are the trial ``2021-000037-14``), and ICTRP
and ClinicalTrials.gov each publish the same NCT trial. Each record states the trial's
registration date, start, status and size as it knows them, and they disagree. Stated as they
come, the merged trial would have two registration dates. Instead the trial gets the value that
holds for it, settled here over all its records, and each record's own value is kept on a
registration node of that record (:mod:`exporter.mapping.trial`).

The rule, per fact:

- **registration date, date of first enrolment**: the earliest any record states (the trial's
  first registration, its first start); a date that could not be read counts only when no
  record gives one that could.
- **prospective registration**: what the record of that earliest registration says, since it
  is a property of the first registration.
- **every other single-valued fact** (recruitment status, target size, completion dates, phase,
  study type, titles, brief summary, design): the value of the record refreshed most recently, among those that
  state it; on a tie, or without dates, the later one in input order.

Records stream and are mapped one at a time (and in worker processes), so what holds for a
trial must be known before its first record is mapped: the run's pre-pass
(:mod:`exporter.duplicates`) reads whole only the records of trials that have several, keeps
just these fields of each (:func:`reduced`), and settles them here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .normalize.identifiers import canonical_trial_id
from .record import DateValue, Trial

TrialKey = tuple[str, str]
"""What makes two records records of one trial: the (scheme, id) the trial is named by."""

Settled = dict[str, Any]
"""The values that hold for a trial: :class:`~exporter.record.Trial` field name → value."""

EARLIEST = ("date_registration", "date_enrolment")
OF_FIRST_REGISTRATION = ("prospective_registration",)
OF_NEWEST = (
    "recruitment_status", "target_size", "primary_completion", "completion", "phase", "study_type",
    "public_title", "scientific_title", "acronym", "brief_summary", "design",
)
SINGLE_VALUED = EARLIEST + OF_FIRST_REGISTRATION + OF_NEWEST
"""The record's fields that a trial has one value of."""


def trial_key(trial: Trial) -> TrialKey:
    return canonical_trial_id(trial.trial_id)


def reduced(trial: Trial) -> Trial:
    """The record reduced to what the pre-pass needs: id, provenance, last refreshed, the single-valued facts."""
    return Trial(trial.trial_id, trial.provenance, last_refreshed=trial.last_refreshed,
                 **{name: getattr(trial, name) for name in SINGLE_VALUED})


def settle(records: Iterable[Trial]) -> dict[TrialKey, Settled]:
    """What holds for each trial of which ``records`` (in input order) hold more than one."""
    by_trial: dict[TrialKey, list[Trial]] = {}
    for record in records:
        by_trial.setdefault(trial_key(record), []).append(record)
    return {key: settled(group) for key, group in by_trial.items() if len(group) > 1}


def settled(records: list[Trial]) -> Settled:
    """The values that hold for the trial of ``records`` (its records, in input order)."""
    newest_first = sorted(reversed(records), key=_refreshed, reverse=True)  # stable: the later one first on a tie
    values: Settled = {name: _first_stated(newest_first, name) for name in OF_NEWEST}
    for name in EARLIEST:
        values[name] = _earliest([getattr(record, name) for record in newest_first])
    first = _earliest_registered(newest_first)
    values["prospective_registration"] = _first_stated([first, *newest_first], "prospective_registration")
    return values


def _refreshed(record: Trial) -> str:
    return (record.last_refreshed.iso if record.last_refreshed else None) or ""  # unknown sorts first


def _first_stated(records: list[Trial], name: str) -> Any:
    return next((value for value in (getattr(r, name) for r in records) if value is not None), None)


def _earliest(dates: list[DateValue | None]) -> DateValue | None:
    """The earliest date that could be read; else the first one stated, as registered."""
    readable = [date for date in dates if date is not None and date.iso]
    if readable:
        return min(readable, key=lambda date: date.iso or "")
    return next((date for date in dates if date is not None), None)


def _earliest_registered(newest_first: list[Trial]) -> Trial:
    """The record of the trial's first registration: the earliest readable registration date, else the newest."""
    dated = [record for record in newest_first if record.date_registration and record.date_registration.iso]
    return min(dated, key=lambda r: r.date_registration.iso or "") if dated else newest_first[0]  # type: ignore[union-attr]
