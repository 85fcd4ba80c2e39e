"""Background jobs of the web service: Monte Carlo and compare runs with progress and cancel.

A job runs in its own thread once it holds one of the server's heavy-run slots (the same
semaphore that bounds the synchronous ``/api/simulate`` Monte Carlo and ``/api/compare``
calls), so jobs and synchronous runs together never exceed ``max_concurrent_heavy``. The
registry is bounded three ways: at most ``max_active`` jobs queued or running (more: HTTP
429), at most ``max_kept`` records in memory (the oldest finished ones are forgotten first),
and a finished job is forgotten ``ttl_s`` seconds after it ended.

A job's work is a function of a :class:`JobContext`: it reports progress with
:meth:`JobContext.report` and calls :meth:`JobContext.check` between steps, which raises
:class:`JobCancelled` once ``DELETE`` asked for it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from natofutures.errors import InputError, NatoFuturesError

__all__ = ["Job", "JobCancelled", "JobContext", "JobRegistry", "JobsFullError"]

ACTIVE = ("queued", "running")


class JobCancelled(Exception):
    """Raised inside a job's work when the job was cancelled."""


class JobsFullError(NatoFuturesError):
    """Too many jobs queued or running (HTTP 429)."""


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z"
    )


@dataclass
class Job:
    """One job's state; mutated by its worker thread under the registry's lock."""

    id: str
    kind: str
    created: float = field(default_factory=time.time)
    status: str = "queued"
    progress: float = 0.0
    message: str = "waiting for a free slot"
    started: float | None = None
    finished: float | None = None
    finished_mono: float | None = None
    result: Any = None
    error: str | None = None
    error_status: int | None = None
    #: every progress value reported, in order (bounded; read by tests)
    history: list[float] = field(default_factory=list)
    cancel: threading.Event = field(default_factory=threading.Event)

    def snapshot(self, ttl_s: float) -> dict[str, Any]:
        """JSON-ready state (the fields of :class:`~natofutures.service.models.JobOut`)."""
        now = time.time()
        end = self.finished if self.finished is not None else now
        expires = None
        if self.finished_mono is not None:
            expires = round(max(0.0, ttl_s - (time.monotonic() - self.finished_mono)), 1)
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 4),
            "message": self.message,
            "created_at": _iso(self.created),
            "started_at": _iso(self.started),
            "finished_at": _iso(self.finished),
            "elapsed_ms": None if self.started is None else round((end - self.started) * 1000, 1),
            "expires_in_s": expires,
            "result": self.result if self.status == "done" else None,
            "error": self.error,
            "error_status": self.error_status,
        }


class JobContext:
    """What a job's work sees: progress reporting and cancellation checks."""

    def __init__(self, registry: JobRegistry, job: Job) -> None:
        self._registry = registry
        self._job = job

    @property
    def cancelled(self) -> bool:
        return self._job.cancel.is_set()

    def check(self) -> None:
        """Raise :class:`JobCancelled` if the job was cancelled."""
        if self._job.cancel.is_set():
            raise JobCancelled

    def report(self, fraction: float, message: str | None = None) -> None:
        """Record progress ``fraction`` (0-1, never decreasing) and what is being done."""
        self._registry._report(self._job, fraction, message)
        self.check()


Work = Callable[[JobContext], Any]


class JobRegistry:
    """Bounded, in-memory set of jobs; each job runs in its own daemon thread."""

    def __init__(
        self,
        slots: threading.BoundedSemaphore,
        *,
        max_active: int = 6,
        max_kept: int = 50,
        ttl_s: float = 600.0,
    ) -> None:
        self.slots = slots
        self.max_active = max_active
        self.max_kept = max(max_kept, max_active)
        self.ttl_s = ttl_s
        self._jobs: dict[str, Job] = {}
        #: jobs deleted by ``cancel`` (no longer served; kept for ``job()``, bounded)
        self._gone: dict[str, Job] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        self._closed = False

    # -- public API -----------------------------------------------------------------------------
    def submit(self, kind: str, work: Work) -> dict[str, Any]:
        """Queue ``work``; returns the new job's state. Raises :class:`JobsFullError`."""
        with self._lock:
            self._prune_locked()
            active = self._active_locked()
            if self._closed or active >= self.max_active:
                raise JobsFullError(
                    f"jobs: {active} queued or running; at most {self.max_active} allowed at "
                    "once on this server; retry when one has finished"
                )
            while len(self._jobs) >= self.max_kept:
                oldest = min(
                    (j for j in self._jobs.values() if j.status not in ACTIVE),
                    key=lambda j: j.finished_mono or 0.0,
                )
                del self._jobs[oldest.id]
            job = Job(id=secrets.token_hex(8), kind=kind)
            self._jobs[job.id] = job
            thread = threading.Thread(
                target=self._run, args=(job, work), name=f"natofutures-job-{job.id}", daemon=True
            )
            self._threads[job.id] = thread
            snap = job.snapshot(self.ttl_s)
        thread.start()
        return snap

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's state, or None if unknown or expired."""
        with self._lock:
            self._prune_locked()
            job = self._jobs.get(job_id)
            return None if job is None else job.snapshot(self.ttl_s)

    def job(self, job_id: str) -> Job | None:
        """The job object itself, deleted ones included (tests read its progress history)."""
        with self._lock:
            return self._jobs.get(job_id) or self._gone.get(job_id)

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Cancel a queued or running job (it stops at its next step), or forget a finished one.

        Either way the job is removed at once (a later ``get`` gives None: HTTP 404). Returns
        the job's last state, or None if unknown.
        """
        with self._lock:
            self._prune_locked()
            job = self._jobs.pop(job_id, None)
            if job is None:
                return None
            if job.status in ACTIVE:
                job.cancel.set()
                self._finish_locked(job, "cancelled", message="cancelled")
            self._gone[job_id] = job  # tests can still read its history
            while len(self._gone) > self.max_kept:
                self._gone.pop(next(iter(self._gone)))
            return job.snapshot(self.ttl_s)

    def active(self) -> int:
        """Jobs queued or running, counting cancelled ones whose thread has not ended yet."""
        with self._lock:
            return self._active_locked()

    def _active_locked(self) -> int:
        listed = sum(j.status in ACTIVE for j in self._jobs.values())
        stopping = sum(1 for job_id in self._threads if job_id not in self._jobs)
        return listed + stopping

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel every job and wait (up to ``timeout`` s in all) for the threads to end."""
        with self._lock:
            self._closed = True
            for job in self._jobs.values():
                if job.status in ACTIVE:
                    job.cancel.set()
                    self._finish_locked(job, "cancelled", message="server shutting down")
            threads = list(self._threads.values())
        end = time.monotonic() + timeout
        for t in threads:
            t.join(max(0.0, end - time.monotonic()))

    # -- internals ------------------------------------------------------------------------------
    def _run(self, job: Job, work: Work) -> None:
        try:
            while not self.slots.acquire(timeout=0.05):
                if job.cancel.is_set():
                    return
            try:
                with self._lock:
                    if job.cancel.is_set():
                        return
                    job.status = "running"
                    job.started = time.time()
                    job.message = "starting"
                result = work(JobContext(self, job))
                with self._lock:
                    if job.status == "running":
                        job.result = result
                        job.progress = 1.0
                        job.history.append(1.0)
                        self._finish_locked(job, "done", message="done")
            except JobCancelled:
                pass  # status already set by cancel()
            except InputError as exc:
                self._fail(job, str(exc).splitlines()[0], 422)
            except NatoFuturesError as exc:
                self._fail(job, str(exc).splitlines()[0], 503)
            except Exception as exc:  # a bug: report it on the job, never crash the thread
                self._fail(job, f"internal error: {type(exc).__name__}: {exc}".splitlines()[0], 500)
            finally:
                self.slots.release()
        finally:
            with self._lock:
                self._threads.pop(job.id, None)

    def _fail(self, job: Job, message: str, status: int) -> None:
        with self._lock:
            if job.status == "running":
                job.error = message
                job.error_status = status
                self._finish_locked(job, "failed", message="failed")

    def _report(self, job: Job, fraction: float, message: str | None) -> None:
        with self._lock:
            if job.status != "running":
                return
            f = min(1.0, max(job.progress, float(fraction)))
            job.progress = f
            if len(job.history) < 1000:
                job.history.append(f)
            if message is not None:
                job.message = message

    def _finish_locked(self, job: Job, status: str, message: str) -> None:
        job.status = status
        job.message = message
        job.finished = time.time()
        job.finished_mono = time.monotonic()

    def _prune_locked(self) -> None:
        now = time.monotonic()
        expired = [
            j.id
            for j in self._jobs.values()
            if j.finished_mono is not None and now - j.finished_mono > self.ttl_s
        ]
        for job_id in expired:
            del self._jobs[job_id]
