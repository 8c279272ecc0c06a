"""The process's start-up objects, out of the garbage collector's way.

What start-up builds (every module, the catalogue, the settings, the parser's tables, the handlers) lives as
long as the process, yet each full collection walks all of it again: about 70 ms for the ~150,000 objects of
the bot and the web app on the 2-core reference machine, paid by whichever request happens to trigger it
(the 1M benchmark's p95 outliers: a dashboard page at 171 ms for a median of 87). Once start-up is done they
are moved to the collector's permanent generation (`gc.freeze`, CPython's documented tool for long-lived
servers); what requests create later is collected as before."""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def settle() -> int:
    """Collect start-up's garbage, then freeze what is left; returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("start-up objects frozen: %d", frozen)
    return frozen
