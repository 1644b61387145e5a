# syntax=docker/dockerfile:1
# One image recipe for both applications:
#   docker build --build-arg MODULE=api -t mailroom-api .
#   docker build --build-arg MODULE=worker -t mailroom-worker .
# docker-compose.yml builds both.

FROM eclipse-temurin:25-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
# The Maven cache mount keeps downloads between builds; -am builds only what MODULE needs.
# The jar is extracted without Spring Boot's launcher (application.jar plus lib/ on its manifest class path):
# only classes from the class path go into the JDK's ahead-of-time cache (ADR 0010).
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$MODULE" || { echo "--build-arg MODULE=api or MODULE=worker is required" >&2; exit 1; }; \
    ./mvnw -q -B -ntp -pl "$MODULE" -am package -DskipTests \
    && cp "$MODULE"/target/mailroom-"$MODULE"-*-exec.jar /application.jar \
    && java -Djarmode=tools -jar /application.jar extract --layers --destination /extracted \
       --application-filename application.jar \
    && if [ -f "$MODULE"/src/main/jvm/jvm.options ]; then \
         cp "$MODULE"/src/main/jvm/jvm.options /extracted/application/jvm.options; fi

FROM eclipse-temurin:25-jre
ARG MODULE
LABEL org.opencontainers.image.title="mailroom-${MODULE}" \
      org.opencontainers.image.description="Mailroom ${MODULE}: sends a SaaS product's mail through its customers' Microsoft 365 mailboxes"
RUN groupadd --system --gid 10001 mailroom && useradd --system --uid 10001 --gid mailroom --no-create-home mailroom
WORKDIR /app
# Layers from the least to the most often changed, so a code change ships a small layer.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
COPY ops/java/mailroom-app /usr/local/bin/mailroom-app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# mailroom-app starts the JVM with /app/jvm.options, the module's own options (the worker's collector), when
# there is one. The AOT cache is recorded here, by the image's own JVM (a cache works only with the JVM that
# recorded it), from a start that stops once the application context is refreshed: no database or broker is needed.
RUN mailroom-app train /app
USER mailroom:mailroom
# api: 8080 and its health probes and metrics on 8082 (MANAGEMENT_SERVER_PORT), worker: 8081 (PORT overrides either)
EXPOSE 8080 8081 8082
ENTRYPOINT ["mailroom-app", "run", "/app"]
