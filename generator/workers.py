"""Worker processes: how many to use, and how a worker ends when the process that started it is gone."""

from __future__ import annotations

import os
import threading
import time


def die_with_parent(parent: int) -> None:
    """A worker exits when the process that started it is gone (killed, even with SIGKILL):
    otherwise it would sleep forever on its task queue, whose writing end it inherited."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="clientgen-parent-watch", daemon=True).start()


def worker_count() -> int:
    return min(os.cpu_count() or 1, 8)
