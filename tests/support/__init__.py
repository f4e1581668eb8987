"""What many tests need, one concept per module.

- ``tests.support.waiting``: :func:`eventually` (poll until a condition holds,
  for real processes and sockets) and :class:`FakeClock` (for code that takes a clock);
- ``tests.support.console``: :func:`console_inbound`, :func:`say` (handled by the
  core, replies returned) and :func:`say_accepted` (the real inbound path);
- ``tests.support.workers``: :class:`WorkerProcess`, :func:`worker_env`,
  :func:`start_worker` (a ``mediabrain worker`` subprocess);
- ``tests.support.faults``: :class:`PgProxy` (PostgreSQL behind a proxy that can
  freeze) and :class:`RedisServer` (a private ``redis-server`` with AOF, to crash);
- ``tests.support.world``: :class:`World` and :func:`build_world` (two workspaces
  on the sandbox, for the schedule and metrics-sync tests).

Nothing is re-exported here, so a fake server can import ``waiting`` without
loading the application.
"""
