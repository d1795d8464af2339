#!/usr/bin/env python3
"""A TaskFlow remote worker in plain Python (standard library only).

It leases jobs from a TaskFlow server over HTTP, runs them with the handler registered for their
type, keeps each lease alive with heartbeats while the handler runs, and reports the result or the
error. If the server answers 409 (the lease was lost: it expired and another worker took the job,
or a user cancelled it), the worker drops that job's result: TaskFlow never lets a stale worker
complete a job someone else holds.

    python3 taskflow_worker.py --url http://127.0.0.1:8080 --type py.wordcount

Register your own handlers with @worker.handler("your.type"); a handler gets the job's args (a
dict) and a Job object for progress and events, and returns a JSON-serialisable result.
"""
import argparse
import json
import socket
import sys
import threading
import traceback
import urllib.error
import urllib.request


class LeaseLost(Exception):
    """The server answered 409: this worker no longer holds the job."""


class Job:
    """What a handler can do while it runs: report progress, emit custom events."""

    def __init__(self, worker, data):
        self._worker = worker
        self.id = data["id"]
        self.type = data["type"]
        self.args = data.get("args") or {}
        self.attempt = data["attempt"]
        self.lease_token = data["leaseToken"]  # a secret: send it back, never log it
        self._progress = None
        self._lock = threading.Lock()

    def progress(self, percent, message=None):
        with self._lock:
            self._progress = {"percent": int(percent), "message": message}

    def emit(self, event_type, data=None):
        self._worker.post(f"/api/v1/jobs/{self.id}/events",
                          {"leaseToken": self.lease_token, "type": event_type, "data": data or {}})

    def take_progress(self):
        with self._lock:
            p, self._progress = self._progress, None
            return p


class Worker:
    def __init__(self, url, worker_id, queues=("default",), lease_seconds=30):
        self.url = url.rstrip("/")
        self.worker_id = worker_id
        self.queues = list(queues)
        self.lease_seconds = lease_seconds
        self.handlers = {}

    def handler(self, job_type):
        def register(fn):
            self.handlers[job_type] = fn
            return fn
        return register

    def post(self, path, body, timeout=90):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            problem = e.read().decode("utf-8", "replace")
            if e.code == 409:
                raise LeaseLost(problem) from None
            raise RuntimeError(f"{path} answered {e.code}: {problem}") from None

    def lease(self, max_jobs=1, wait=20):
        body = {"workerId": self.worker_id, "queues": self.queues, "types": sorted(self.handlers),
                "max": max_jobs, "leaseSeconds": self.lease_seconds, "wait": wait}
        return [Job(self, j) for j in self.post("/api/v1/workers/lease", body)["jobs"]]

    def run_one(self, job):
        """Runs one leased job to its end; returns 'completed', 'failed' or 'lost'."""
        done = threading.Event()
        lost = threading.Event()

        def heartbeat():
            while not done.wait(self.lease_seconds / 3):
                try:
                    self.post(f"/api/v1/jobs/{job.id}/heartbeat",
                              {"leaseToken": job.lease_token, "leaseSeconds": self.lease_seconds,
                               "progress": job.take_progress()})
                except LeaseLost:
                    lost.set()
                    return
                except Exception as e:  # the server may be restarting: keep trying within the lease
                    print(f"heartbeat for {job.id} failed: {e}", file=sys.stderr)

        beats = threading.Thread(target=heartbeat, daemon=True)
        beats.start()
        try:
            result = self.handlers[job.type](job.args, job)
            outcome = ("complete", {"leaseToken": job.lease_token, "result": result})
        except Exception as e:
            outcome = ("fail", {"leaseToken": job.lease_token, "retryable": not isinstance(e, ValueError),
                                "error": {"type": type(e).__name__, "message": str(e),
                                          "stackTrace": traceback.format_exc()}})
        finally:
            done.set()
            beats.join()
        if lost.is_set():
            return "lost"
        try:
            self.post(f"/api/v1/jobs/{job.id}/{outcome[0]}", outcome[1])
            return "completed" if outcome[0] == "complete" else "failed"
        except LeaseLost:
            return "lost"

    def run(self, once=False, wait=20):
        while True:
            for job in self.lease(max_jobs=1, wait=wait):
                print(f"{job.type} {job.id} attempt {job.attempt}: {self.run_one(job)}", flush=True)
            if once:
                return


def main():
    p = argparse.ArgumentParser(description="A TaskFlow remote worker")
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--worker-id", default=f"py-{socket.gethostname()}")
    p.add_argument("--queue", action="append", dest="queues")
    p.add_argument("--lease-seconds", type=int, default=30)
    p.add_argument("--wait", type=int, default=20, help="long-poll seconds per lease call")
    p.add_argument("--once", action="store_true", help="lease once, run what came, exit")
    a = p.parse_args()
    worker = Worker(a.url, a.worker_id, a.queues or ["default"], a.lease_seconds)

    @worker.handler("py.wordcount")
    def wordcount(args, job):
        words = str(args.get("text", "")).split()
        job.progress(50, f"{len(words)} words")
        counts = {}
        for w in words:
            counts[w.lower()] = counts.get(w.lower(), 0) + 1
        job.emit("wordcount.counted", {"distinct": len(counts)})
        return {"words": len(words), "counts": counts}

    worker.run(once=a.once, wait=a.wait)


if __name__ == "__main__":
    main()
