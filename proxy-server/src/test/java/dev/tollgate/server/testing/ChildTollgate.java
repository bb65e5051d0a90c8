package dev.tollgate.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code tollgate.jar} in a child JVM, for tests that need a process boundary: a small heap,
 * {@code kill -9}, a restart. The jar's path comes from the {@code tollgate.jar} system property that
 * Failsafe sets.
 */
public final class ChildTollgate implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final int adminPort;

    private ChildTollgate(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Starts {@code java [jvmArgs] -jar tollgate.jar --config FILE} and waits (bounded) until
     * {@code /readyz} answers.
     */
    public static ChildTollgate start(Path config, int port, int adminPort, Path log, String... jvmArgs)
            throws IOException, InterruptedException {
        return start(config, port, adminPort, log, java.util.Map.of(), jvmArgs);
    }

    /** As {@link #start(Path, int, int, Path, String...)}, with extra environment variables. */
    public static ChildTollgate start(Path config, int port, int adminPort, Path log, java.util.Map<String, String> env,
            String... jvmArgs) throws IOException, InterruptedException {
        String jar = System.getProperty("tollgate.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("tollgate.jar not found at " + jar + ": run through Failsafe after 'package'");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", jar, "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        ChildTollgate child = new ChildTollgate(process, log, port, adminPort);
        child.awaitReady(Duration.ofSeconds(30));
        return child;
    }

    /** A port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** {@code kill} (SIGTERM): the graceful shutdown path. Returns the exit code, waiting at most {@code timeout}. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("tollgate did not stop within " + timeout);
        }
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** What the child printed, for failure messages. */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + adminPort + "/readyz");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tollgate exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("tollgate not ready within " + timeout + ":\n" + output());
    }
}
