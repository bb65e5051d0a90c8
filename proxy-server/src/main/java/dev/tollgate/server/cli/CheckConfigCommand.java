package dev.tollgate.server.cli;

import dev.tollgate.server.config.ConfigPrinter;
import dev.tollgate.server.config.ProxyConfig;
import java.io.PrintStream;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code check-config [--config FILE]}: prints the resolved config (secrets masked) on stdout and exits 0, or
 * prints the problem on stderr and exits 1. Without {@code --config} it checks the embedded default.
 */
final class CheckConfigCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, @Nullable String> env;

    CheckConfigCommand(PrintStream out, PrintStream err, Function<String, @Nullable String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(Options options) {
        ProxyConfig config = ConfigSource.loadOrReport(options, env, err);
        if (config == null) {
            return ExitCode.FAILURE;
        }
        out.print(ConfigPrinter.toYaml(config));
        err.println(config.source() + ": valid");
        return ExitCode.OK;
    }
}
