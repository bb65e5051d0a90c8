package dev.tollgate.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the test (the proxy jar, Prometheus) whose stdout and stderr go to one log
 * file, so that a chatty child can never block on a full pipe and its output can be shown when a
 * test fails.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
        return new ChildProcess(name, process, log);
    }

    /** A TCP port free on loopback a moment ago (bound to port 0, then closed). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Fails with the child's output when it has already exited. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n" + output());
        }
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code maxLines} lines of the child's output, framed with its name. */
    String tail(int maxLines) {
        List<String> lines = output().lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
        return "----- " + name + " (" + log + ", last " + last.size() + " of " + lines.size() + " lines) -----\n"
                + String.join("\n", last) + "\n----- end of " + name + " -----";
    }

    /** SIGTERM, then SIGKILL if the child is still running after {@code graceSeconds}. */
    void stop(long graceSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(20);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
