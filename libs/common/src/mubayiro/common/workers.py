"""The background thread behind every "deliver until acknowledged" worker.

The outbox dispatcher (events), the SMS sender (notifications) and the invitation
sender (referrals) are queue workers (:mod:`mubayiro.common.queue`) built on this
thread. A daemon thread runs a round (:meth:`BackgroundWorker.run_once`) whenever it
is woken — a commit that created work sets :attr:`wakeup` — or every ``poll_seconds``
(retries fall due that way), runs rounds back to back while a round says there is
more, and computes the capped, jittered exponential :meth:`backoff` for failed
attempts. The wake-up flag is cleared *before* a round, so work committed during a
round wakes the next one.
A round that raises is logged and the loop goes on: a worker never dies of one bad row.
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta

logger = logging.getLogger(__name__)


class BackgroundWorker:
    """A daemon thread running :meth:`run_once` when woken or polled (see module doc)."""

    #: The thread's name (also used in log lines).
    name = "worker"

    def __init__(
        self,
        *,
        wakeup: threading.Event | None = None,
        poll_seconds: float = 1.0,
        retry_base_seconds: float = 0.5,
        max_backoff_seconds: float = 60.0,
        join_timeout_seconds: float = 10.0,
    ):
        self.wakeup = wakeup or threading.Event()
        self.poll_seconds = poll_seconds
        self.retry_base_seconds = retry_base_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.join_timeout_seconds = join_timeout_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called (long rounds check it between items)."""
        return self._stop.is_set()

    def run_once(self) -> bool:
        """Do one round of work; return True when more is due right away."""
        raise NotImplementedError

    def start(self) -> None:
        """Start the thread."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, letting a round in progress finish."""
        self._stop.set()
        self.wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=self.join_timeout_seconds)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.wakeup.clear()
            try:
                busy = self.run_once()
            except Exception:
                logger.exception("%s round failed", self.name)
                busy = False
            if not busy:
                self.wakeup.wait(self.poll_seconds)

    def backoff(self, attempts: int, *, jitter: float | None = None) -> timedelta:
        """Delay before the next try after ``attempts`` failed ones (capped, jittered).

        ``retry_base_seconds`` × 2^(attempts−1), ±20 % (``jitter`` in [0, 1) picks where
        in that band; random by default), never above ``max_backoff_seconds``.
        """
        exponent = min(max(attempts - 1, 0), 32)  # 2**32 × base is far past any cap
        draw = random.random() if jitter is None else jitter
        delay = self.retry_base_seconds * 2**exponent * (0.8 + 0.4 * draw)
        return timedelta(seconds=min(self.max_backoff_seconds, delay))
