# One image for both Nest apps; docker-compose.yml picks the entry point:
#   api:    node dist/apps/api/main.js     (listens on $PORT, default 3000)
#   worker: node dist/apps/worker/main.js
# Configuration comes from the environment: MONGODB_URI, KAFKA_BROKERS, PORT.

# --- build: install all dependencies, compile both apps, then drop dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Copy only what the build needs (keeps node_modules/, .local/ and dist/ of the host
# out of the image and the layer cache stable).
COPY nest-cli.json tsconfig*.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and the compiled output only
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Generated local keys (when none are configured) live here; compose shares it between the apps.
RUN mkdir -p /app/state && chown node:node /app/state
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/main.js"]
