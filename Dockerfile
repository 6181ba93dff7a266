# One image for both Nest apps; docker-compose.yml picks the entry point:
#   api:    node dist/apps/api/main.js     (listens on $PORT, default 3000)
#   worker: node --max-semi-space-size=64 dist/apps/worker/main.js   (as `npm run start:worker`)
# Configuration comes from the environment: MONGODB_URI, KAFKA_BROKERS, PORT (README).
# The api also serves the admin page under /admin from dist/admin (ADMIN_UI_DIR's default,
# relative to WORKDIR /app), built here by `npm run build`.

# --- build: install all dependencies, compile both apps and the admin page, then drop dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script builds the admin page, whose sources are not copied
# yet; `npm run build` below builds it. (No dependency needs its install script for the build.)
RUN npm ci --ignore-scripts --no-audit --no-fund
# Copy only what the build needs (keeps node_modules/, .local/ and dist/ of the host
# out of the image and the layer cache stable).
COPY nest-cli.json tsconfig*.json ./
# apps/ holds the admin page's sources and Vite config (apps/admin) too.
COPY apps ./apps
COPY libs ./libs
# nest build api, nest build worker, then build:admin (vite) into dist/admin.
RUN npm run build && test -f dist/admin/index.html && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and the compiled output only (dist/apps and dist/admin)
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# NODE_ENV=production: local mode is off, so the apps refuse to start without their keys
# (SECRETS_ENCRYPTION_KEY; the api also AUTH_JWT_*). Only with LOCAL_MODE=true are missing keys
# generated, here; compose shares this folder between the apps.
RUN mkdir -p /app/state && chown node:node /app/state
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/main.js"]
