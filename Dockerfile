# newsbot's image: the wheel on a slim Python, run as an unprivileged user.
#   docker build -t newsbot .
#   docker run --env-file .env newsbot            # `newsbot run`; `newsbot send` for a worker
# compose.yaml runs PostgreSQL, one webhook instance and one sender; docs/deploy.md explains.

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY digests ./digests
COPY templates ./templates
COPY migrations ./migrations
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    METRICS_PORT=9100
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/newsbot-*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 --user-group newsbot
USER 10001
WORKDIR /home/newsbot
EXPOSE 8443 9100
# /healthz answers while the process is alive (bot/health.py); slim has no curl, Python does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('METRICS_PORT', '9100'), timeout=4)"]
ENTRYPOINT ["newsbot"]
CMD ["run"]
