# Lotse: one image for the gateway, the conversation worker, the outbound sender and the one-shot
# index builder. It runs compiled JavaScript (dist/) with node alone: no TypeScript loader at run time.
#
# Build stage: hnswlib-node compiles at install and TypeScript compiles src/, so the compilers and
# the dev dependencies stay out of the final image.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first (their own layer, rebuilt only when the lock file changes): exactly the locked
# versions, dev dependencies included (TypeScript). The `prepare` script finds no src/ yet and skips.
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY prompts ./prompts
# Compile src/ to dist/, drop the dev dependencies, then make what every start needs and can keep
# (node_modules/.cache/lotse: the trained safety screen and scope model, eld's language subset), so
# that no container trains them at start-up.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && node dist/cli/warm-caches.js && npm cache clean --force

FROM node:20-bookworm-slim
# whatsapp-web.js drives Debian's Chromium (nothing is downloaded by npm): build with
# `--build-arg WITH_CHROMIUM=true` when WHATSAPP_WEB_ENABLED=true; the Cloud API needs no browser.
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-color-emoji && rm -rf /var/lib/apt/lists/*; fi
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY knowledge ./knowledge
COPY prompts ./prompts
# MALLOC_ARENA_MAX=2: glibc keeps fewer malloc arenas, so memory freed after a busy spell goes back to
# the system (`npm run bench -- --part memory`: 214-231 MB RSS after 10,000 conversations, against
# 260-281 MB without; the JavaScript heap held is 56 MB either way).
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2
VOLUME /data
EXPOSE 3000
# Exec form and node itself (not npm, not npx): `docker stop` delivers SIGTERM straight to Lotse,
# which stops gracefully within 30 s. docker-compose.yml runs the roles with the same command:
# dist/cli/gateway.js, worker.js, sender.js, index-knowledge.js.
CMD ["node", "dist/cli/start.js"]
