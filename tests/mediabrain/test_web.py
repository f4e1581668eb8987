from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from mediabrain.web import create_app


def test_healthz_checks_database_and_redis(make_runtime, pg_url, redis_url) -> None:
    rt = make_runtime(database_url=pg_url, redis_url=redis_url, sandbox="off")
    client = TestClient(create_app(rt.settings, rt))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == body["redis"] == "ok"
    # No scheduler has registered the periodic entries yet: said, not fatal.
    assert body["status"] == "degraded" and body["schedules"].startswith("missing: ")


def test_healthz_reports_an_unreachable_redis(make_runtime, sqlite_url) -> None:
    rt = make_runtime(database_url=sqlite_url, redis_url="redis://127.0.0.1:1/0", sandbox="off")
    response = TestClient(create_app(rt.settings, rt)).get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"


def test_the_web_process_never_imports_crewai_matplotlib_ml_or_grpc_libraries() -> None:
    code = (
        "import sys; from vocabulary.settings import Settings; from mediabrain.web import create_app;"
        "import tempfile; d = tempfile.mkdtemp();"
        "create_app(Settings(data_dir=d, sandbox='off'));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('crewai', 'matplotlib', 'litellm', 'numpy', 'scipy', 'statsmodels', 'sklearn', 'grpc')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_cli_that_starts_serve_loads_no_worker_side_library() -> None:
    """`mediabrain serve` starts through the CLI module: it must stay as light as the app."""
    code = (
        "import sys, mediabrain.cli;"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
        "('crewai', 'matplotlib', 'litellm', 'numpy', 'scipy', 'statsmodels', 'sklearn', 'grpc')}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
