package dev.tollgate.server.cli;

import dev.tollgate.server.config.ProxyConfig;
import java.io.PrintStream;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@code serve [--config FILE]}: loads the config, then hands it to the {@link ServerLauncher} until shutdown. */
final class ServeCommand {

    private final PrintStream err;
    private final Function<String, @Nullable String> env;
    private final ServerLauncher launcher;

    ServeCommand(PrintStream err, Function<String, @Nullable String> env, ServerLauncher launcher) {
        this.err = err;
        this.env = env;
        this.launcher = launcher;
    }

    int run(Options options) {
        ProxyConfig config = ConfigSource.loadOrReport(options, env, err);
        if (config == null) {
            return ExitCode.FAILURE;
        }
        try {
            launcher.run(config);
            return ExitCode.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tollgate: interrupted");
            return ExitCode.FAILURE;
        } catch (RuntimeException e) {
            // A bug rather than a condition of the host: the trace is what a bug report needs.
            err.println("tollgate: server failed: " + e);
            e.printStackTrace(err);
            return ExitCode.FAILURE;
        } catch (Exception e) {
            // Conditions such as an address already in use: the message says it all.
            err.println("tollgate: server failed: " + e);
            return ExitCode.FAILURE;
        }
    }
}
