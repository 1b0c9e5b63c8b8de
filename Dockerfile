# syntax=docker/dockerfile:1
# Lykta: Node builds the pages, a slim Python image runs them. `docker run` migrates, then serves.

FROM node:20-bookworm-slim AS pages
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm install --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LYKTA_ENV=production \
    LYKTA_HOST=0.0.0.0 \
    LYKTA_PORT=8000 \
    LYKTA_DATABASE_URL=sqlite+aiosqlite:////data/lykta.db
WORKDIR /srv/lykta
RUN useradd --system --uid 10001 --home-dir /srv/lykta --shell /usr/sbin/nologin lykta \
    && mkdir -p /data && chown lykta /data
COPY pyproject.toml README.md alembic.ini ./
COPY alembic ./alembic
COPY app ./app
RUN pip install -e . && rm -rf /root/.cache
COPY --from=pages /src/frontend/dist ./frontend/dist
USER lykta
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
# The same two commands as on a plain machine (tests/test_cli.py runs them outside Docker).
CMD ["sh", "-c", "lykta migrate && exec lykta serve"]
