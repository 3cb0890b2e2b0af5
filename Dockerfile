# The standalone Better Auth server (src/BetterAuth.Server) as a container image. README.md, "Deploy", says how to run it:
#
#   docker build -t better-auth-server .
#   docker run -p 8080:8080 -v better-auth-data:/data --read-only \
#     -e BETTER_AUTH_SECRET="$(openssl rand -base64 32)" -e BETTER_AUTH_URL=https://auth.example.com better-auth-server
#
# Three stages: the hosted pages (web/, Node), the server (.NET SDK), and the runtime (ASP.NET Core, no SDK, no shell,
# no package manager), which runs as the unprivileged user "app" and writes nothing but /data. It holds no secret:
# without BETTER_AUTH_SECRET the server refuses to start. scripts/container.sh runs the published server exactly as
# this runtime stage does (entrypoint, user, environment, read-only root) in CI, since no container engine runs there;
# it reads the ENV, USER, ENTRYPOINT, HEALTHCHECK and publish lines from this file, so keep them one per line.

ARG DOTNET_VERSION=10.0

# 1. The hosted sign-in pages and admin console: web/ builds into src/BetterAuth.Server/wwwroot.
FROM node:22-bookworm-slim AS pages
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

# 2. The server, framework-dependent (the runtime image brings ASP.NET Core).
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/BetterAuth.Server/BetterAuth.Server.csproj
COPY --from=pages /src/src/BetterAuth.Server/wwwroot/ src/BetterAuth.Server/wwwroot/
RUN dotnet publish src/BetterAuth.Server/BetterAuth.Server.csproj -c Release --no-restore -p:UseAppHost=false -o /app
# The volume's mount point, owned by the runtime user, so a new named volume starts out writable by it.
RUN mkdir -p /data

# 3. The runtime: Ubuntu chiseled (distroless) with ICU and time zones; user "app" (uid 1654, numeric so that
#    Kubernetes' runAsNonRoot can check it).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --from=build /app/ ./
COPY --from=build --chown=1654:1654 /data/ /data/
# Production unless told otherwise; plain HTTP on 8080 behind the platform's TLS (set ASPNETCORE_URLS, HOST/PORT or
# Kestrel__Endpoints__… to change it); the SQLite database on the volume (DATABASE_URL=postgres://… for PostgreSQL);
# JSON logs, one object per line with the event id and fields (docs/OBSERVABILITY.md); no diagnostics IPC socket,
# which would need a writable /tmp.
ENV ASPNETCORE_ENVIRONMENT=Production
ENV ASPNETCORE_HTTP_PORTS=8080
ENV DATABASE_URL=/data/better-auth.db
ENV Logging__Console__FormatterName=json
ENV DOTNET_EnableDiagnostics=0
VOLUME /data
USER $APP_UID
EXPOSE 8080
# The server's own probe of /health/ready on the address it listens on (no curl or shell in the image).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["dotnet", "/app/BetterAuth.Server.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/BetterAuth.Server.dll"]
