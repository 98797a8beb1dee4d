import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _die_with_parent() -> None:
    """In the worker process (Linux): get SIGTERM when `serve` dies, even by SIGKILL, so no worker
    is ever left running on its own."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def base_url_for(addr: str) -> str:
    """The address links in e-mails point at when the environment names none: where this server
    listens ("8042" and "0.0.0.0:8042" mean this machine)."""
    host, _, port = addr.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):  # noqa: S104 (reading a bind address, not binding)
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # run the same clean shutdown as Ctrl-C


class Command(BaseCommand):
    help = "Serve the web app and run the background worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port (default 127.0.0.1:8000).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args, addr, no_worker, **options):
        if not os.environ.get("UNITBASE_BASE_URL"):
            # Invitation and call sheet links name this server, also when it runs on another port;
            # the worker inherits the environment.
            os.environ["UNITBASE_BASE_URL"] = settings.UNITBASE_BASE_URL = base_url_for(addr)
        worker = None
        if not no_worker:
            # No autoreload: its extra process would outlive us; serve is restarted by hand anyway.
            worker = subprocess.Popen([sys.executable, "-m", "unitbase.cli", "worker", "--interval", "1", "--no-reload"],
                                      preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        self.stdout.write(self.style.SUCCESS(f"\nUnitbase is at http://{addr}/  (Ctrl-C stops the server and the worker)\n"))
        try:
            if settings.DEBUG:
                call_command("runserver", addr, use_reloader=False)
            else:
                from gunicorn.app.wsgiapp import run as gunicorn_run

                sys.argv = ["gunicorn", "config.wsgi", "--bind", addr, "--workers", "2"]
                gunicorn_run()
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
