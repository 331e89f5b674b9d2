"""Gunicorn configuration: `gunicorn -c newsroom/gunicorn.py newsroom.wsgi` (`make serve`).

Read from the environment like the settings, but by gunicorn before Django
starts, so it cannot use ``settings.X``. README.md lists each variable.
"""

import os


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def cores():
    # The CPUs this process may use, which in a container is fewer than the host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# BIND wins; otherwise HOST and PORT, as for `make run`. Loopback by default:
# production puts a TLS proxy in front and sets BIND=0.0.0.0:8000 or a socket.
bind = os.environ.get("BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# Sync workers: requests are short and CPU-bound (templates, serialisation).
# Capped because each worker holds a database connection and its own gazetteer.
workers = env_int("WEB_CONCURRENCY", min(2 * cores() + 1, 12))

# A worker silent this long is killed and replaced. Well above the database's
# connect timeout (DATABASE_CONNECT_TIMEOUT, 5 s), so an unreachable database
# gives the reader an error page, not a killed worker.
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On restart or SIGTERM, requests in flight get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Recycle each worker after this many requests (± jitter, so they do not all
# restart at once): bounds any slow growth of memory.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Django logs every request itself; gunicorn reports only its own errors.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# gunicornc's control socket only where asked for: its default path is one
# per user, so two sites on one machine would take over each other's.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Load Django once in the master: workers start faster and share its memory.
preload_app = True
# Heartbeat files in memory, not on a container's slow overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def pre_fork(server, worker):
    # Closed in the master, before forking: a connection opened while preloading
    # would otherwise be one socket shared by every worker.
    from django.db import connections

    connections.close_all()
