package dev.tollgate.server;

import dev.tollgate.server.cli.Cli;
import dev.tollgate.server.cli.ServerLauncher;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Entry point of {@code tollgate.jar}; see {@link Cli} and CONTRACT.md §2 for the commands. */
public final class Main {

    private Main() {}

    /**
     * Exits the JVM only with a non-zero code. A successful {@code serve} returns once the server has stopped,
     * which may be inside the JVM's shutdown (SIGTERM); calling {@code System.exit} then would block, so
     * success simply returns and lets the JVM end.
     */
    public static void main(String[] args) {
        leakDetectionOffUnlessAsked();
        int code = run(args, System.out, System.err, System::getenv, Tollgate::runUntilShutdown);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Netty's leak detector, at its default level, records a stack trace for one buffer in 128: about 4 % of
     * the event loops' user time under load (bench/README.md). The tests run it at paranoid and fail on a
     * leak; in production it is off unless {@code -Dio.netty.leakDetection.level} asks for it.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Runs one command line with the given streams, environment and server; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<String, @Nullable String> env,
            ServerLauncher launcher) {
        return new Cli(out, err, env, launcher, new SecureRandom()).run(args);
    }
}
