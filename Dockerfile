# One image for every process of the Procfile (web, worker, scheduler) and the Meta sandbox.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIABRAIN_DATA_DIR=/data
WORKDIR /app

COPY pyproject.toml README.md LICENSE ./
COPY ads ads
COPY analytics analytics
COPY bot bot
COPY crews crews
COPY jobs jobs
COPY mediabrain mediabrain
COPY storage storage
COPY supervisor supervisor
COPY vocabulary vocabulary
RUN pip install --no-cache-dir . && useradd --create-home mediabrain && mkdir /data \
    && chown mediabrain /data
USER mediabrain
VOLUME /data
EXPOSE 8000
CMD ["mediabrain", "serve", "--host", "0.0.0.0", "--port", "8000"]
