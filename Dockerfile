# syntax=docker/dockerfile:1
# The portal's production image: the backend serving the built app, on Node 22, as a non-root
# user, with production dependencies only. Build from the repository root:
#   docker build -t ghcr.io/lexecon/release-compliance-portal:1.0.0 .
# The runtime stage holds exactly dist-production/ (what `npm run build` assembles). CI has no
# container engine: it builds that folder and starts it the way CMD does (npm run test:production).

# --- build: the whole repository with its dev dependencies, then `npm run build` ---
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY . .
# Install scripts are skipped: the build needs no native addon (the sqlite driver is for tests).
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm run build

# --- runtime ---
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /src/dist-production/ /app/
# The `node` user (uid 1000) of the official image; nothing in /app is written at run time.
USER node
EXPOSE 7007
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Configuration: the two files copied here by the build, or mounted files (Kubernetes mounts a
# ConfigMap at /app/config and passes them as arguments); secrets come from the environment.
ENTRYPOINT ["node", "packages/backend"]
CMD ["--config", "app-config.yaml", "--config", "app-config.production.yaml"]
