# Lotse: one image for the gateway, the conversation worker and the outbound sender.
# Build stage: hnswlib-node compiles at install, so the compilers stay out of the final image.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
# Exactly the locked versions; tsx (the TypeScript loader) is a runtime dependency.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
# whatsapp-web.js drives Debian's Chromium (nothing is downloaded by npm): build with
# `--build-arg WITH_CHROMIUM=true` when WHATSAPP_WEB_ENABLED=true; the Cloud API needs no browser.
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-color-emoji && rm -rf /var/lib/apt/lists/*; fi
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY knowledge ./knowledge
COPY prompts ./prompts
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=3000
VOLUME /data
EXPOSE 3000
# Exec form and node itself (not npm, not npx): `docker stop` delivers SIGTERM straight to Lotse,
# which stops gracefully within 30 s. docker-compose.yml runs the roles with the same command.
CMD ["node", "--import", "tsx", "src/cli/start.ts"]
