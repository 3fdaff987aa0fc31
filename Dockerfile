# Atende in a container: one binary, one volume for the data directory.
#
#   docker build -t atende .
#   docker run -p 8000:8000 -v atende-data:/data atende
#
# See docs/operations.md for configuration, first start and backups.

# --- build ---------------------------------------------------------------------------
FROM rust:1.95-bookworm AS build

# Node.js and npm only fetch the pinned front-end packages that build.rs embeds.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Front-end packages first: this layer is reused until package-lock.json changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# Everything the binary is built from (templates, stylesheets, catalogues and
# migrations are embedded at compile time).
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY templates ./templates
COPY static ./static
COPY locales ./locales
COPY migrations ./migrations
# Cargo.toml names benches/startup.rs; the manifest does not load without it.
COPY benches ./benches

RUN cargo build --release --locked \
    && install -m 0755 target/release/atende /atende

# --- runtime -------------------------------------------------------------------------
FROM debian:bookworm-slim

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 atende \
    && useradd --system --uid 10001 --gid atende --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin atende \
    && mkdir -p /data \
    && chown atende:atende /data \
    && chmod 0750 /data

COPY --from=build /atende /usr/local/bin/atende

ENV ATENDE_DATA_DIR=/data \
    ATENDE_ADDRESS=0.0.0.0 \
    ATENDE_PORT=8000

# The working directory is where an optional atende.toml is read from.
WORKDIR /data
VOLUME /data
USER atende:atende
EXPOSE 8000

# bookworm-slim has bash but no curl: ask /healthz over bash's /dev/tcp and accept
# only a 200 status line (the route also checks the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ATENDE_PORT:-8000} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == 'HTTP/1.1 200'* ]]"]

ENTRYPOINT ["atende"]
CMD ["serve"]
