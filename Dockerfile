# Lotse: one image for the gateway, the conversation worker and the outbound sender.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs ./
RUN npm install --omit=dev --no-audit --no-fund && npm install --no-save tsx@4 && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY knowledge ./knowledge
COPY prompts ./prompts
ENV DATA_DIR=/data HOST=0.0.0.0 PORT=3000
VOLUME /data
EXPOSE 3000
CMD ["npx", "tsx", "src/cli/start.ts"]
