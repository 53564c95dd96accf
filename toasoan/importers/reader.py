"""Start-up of the process that reads an import's next batch ahead
(services.read_batches_ahead). It imports no models: the process unpickles this
function before Django is set up."""

import os
import threading
import time

import django


def start_reader() -> None:
    """Django set up, and gone as soon as the parent is: an import killed with
    -9 must not leave its reader waiting for work forever."""
    django.setup()
    parent = os.getppid()

    def follow_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=follow_parent, daemon=True).start()
