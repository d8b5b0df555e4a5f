"""Keeping a published store current: syncs with ClinicalTrials.gov and WHO ICTRP, and the log of what changed.

``ctgov`` asks the API only for studies updated since the last sync; ``ictrp`` compares a new
export with the store; both compare records by content (:mod:`.compare`), load only what
differs, and log each change and each sync in the store (:mod:`.changelog`), which the
server publishes as an Activity Streams feed at ``/changes``.
"""

from .changelog import CHANGES_GRAPH, ChangeLog, Counts
from .compare import Outcome
from .ctgov import SyncInterrupted, sync_ctgov
from .ictrp import sync_ictrp

__all__ = ["CHANGES_GRAPH", "ChangeLog", "Counts", "Outcome", "SyncInterrupted", "sync_ctgov", "sync_ictrp"]
