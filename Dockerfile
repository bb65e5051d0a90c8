# Tollgate: built with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#
#   docker build -t tollgate .
#   docker run -p 8080:8080 -v "$PWD/deploy/tollgate.yaml:/etc/tollgate/tollgate.yaml:ro" \
#       -e TOLLGATE_ADMIN_TOKEN=... tollgate
#
# The config is read from /etc/tollgate/tollgate.yaml (mount yours there, or pass other
# arguments: `docker run tollgate check-config --config /etc/tollgate/tollgate.yaml`).
# The working directory /var/lib/tollgate holds the SQLite ledger: mount a volume there.

FROM eclipse-temurin:21-jdk AS build
# The wrapper downloads Maven with curl or wget.
RUN command -v curl >/dev/null || command -v wget >/dev/null \
    || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
WORKDIR /src
# The wrapper and the poms first: packaging the empty modules downloads Maven, the plugins and the
# dependencies into a layer that stays cached until a pom changes. (No BuildKit cache mount, so
# that the legacy builder of older Docker and docker-compose 1.x builds this too.)
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY proxy-core/pom.xml proxy-core/
COPY proxy-server/pom.xml proxy-server/
RUN ./mvnw -B -ntp -q -DskipTests clean package
# Tests run in CI (.ci/run); the image build only packages.
COPY proxy-core/src/ proxy-core/src/
COPY proxy-server/src/ proxy-server/src/
RUN ./mvnw -B -ntp -DskipTests clean package \
    && cp proxy-server/target/tollgate.jar /tmp/tollgate.jar

FROM eclipse-temurin:21-jre
# curl for the health check (newer Temurin images no longer ship it).
RUN command -v curl >/dev/null \
    || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 10001 tollgate \
    && useradd --system --uid 10001 --gid tollgate --home-dir /var/lib/tollgate --shell /usr/sbin/nologin tollgate \
    && mkdir -p /etc/tollgate /var/lib/tollgate \
    && chown tollgate:tollgate /var/lib/tollgate
COPY --from=build /tmp/tollgate.jar /opt/tollgate/tollgate.jar

# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /var/lib/tollgate
VOLUME /var/lib/tollgate

# A container is the JVM's only tenant: let the heap use most of the memory limit.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    TOLLGATE_ADMIN_PORT=9464

# 8080: the LLM routes. 9464: the admin listener (/metrics, /healthz, /readyz, /admin/...).
EXPOSE 8080 9464

# The admin listener binds 127.0.0.1 by default, which the check reaches from inside the
# container; set TOLLGATE_ADMIN_PORT if your config moves admin_port.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${TOLLGATE_ADMIN_PORT}/healthz" || exit 1

ENTRYPOINT ["java", "-jar", "/opt/tollgate/tollgate.jar"]
CMD ["--config", "/etc/tollgate/tollgate.yaml"]
