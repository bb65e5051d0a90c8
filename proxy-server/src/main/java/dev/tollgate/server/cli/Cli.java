package dev.tollgate.server.cli;

import dev.tollgate.server.demo.DemoCommand;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Picks the command named by the first argument and runs it; with no command (no arguments, or options
 * only) it serves. Every outcome is an {@link ExitCode}; nothing here calls {@code System.exit}.
 */
public final class Cli {

    private static final String SERVE = "serve";
    private static final String CHECK_CONFIG = "check-config";
    private static final String KEYGEN = "keygen";
    private static final String DEMO = "demo";
    private static final String REPORT = "report";
    private static final List<String> HELP = List.of("help", "--help", "-h");

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, @Nullable String> env;
    private final ServerLauncher launcher;
    private final SecureRandom random;

    /**
     * @param out command output (the resolved config, a new key)
     * @param err diagnostics
     * @param env environment lookup for {@code ${NAME}} in the config
     * @param launcher runs the server for {@code serve}
     * @param random source of virtual keys
     */
    public Cli(PrintStream out, PrintStream err, Function<String, @Nullable String> env, ServerLauncher launcher,
            SecureRandom random) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.launcher = launcher;
        this.random = random;
    }

    /** Runs the command line and returns the process exit code. */
    public int run(String[] args) {
        List<String> all = Arrays.asList(args);
        if (all.stream().anyMatch(HELP::contains)) {
            out.print(Usage.TEXT);
            return ExitCode.USAGE;
        }
        boolean implicitServe = all.isEmpty() || all.get(0).startsWith("-");
        String command = implicitServe ? SERVE : all.get(0);
        List<String> rest = implicitServe ? all : all.subList(1, all.size());
        try {
            switch (command) {
                case SERVE:
                    return new ServeCommand(err, env, launcher).run(Options.parse(command, rest, List.of("config")));
                case CHECK_CONFIG:
                    return new CheckConfigCommand(out, err, env).run(Options.parse(command, rest, List.of("config")));
                case REPORT:
                    return report(Options.parse(command, rest, List.of("ledger", "from", "to", "group-by", "format")));
                case DEMO:
                    Options.parse(command, rest, List.of());
                    return runDemo();
                case KEYGEN:
                    return new KeygenCommand(out, err, random).run(Options.parse(command, rest, List.of("tenant")));
                default:
                    throw new UsageException("unknown command '" + command + "'");
            }
        } catch (UsageException e) {
            err.println("tollgate: " + e.getMessage());
            err.print(Usage.TEXT);
            return ExitCode.USAGE;
        }
    }

    private int report(Options options) {
        return ReportCommand.run(options.require("ledger", REPORT), options.require("from", REPORT),
                options.require("to", REPORT), options.get("group-by").orElse(null), options.get("format").orElse(null),
                out, err);
    }

    private int runDemo() {
        try {
            DemoCommand.run(env, out);
            return ExitCode.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILURE;
        } catch (Exception e) {
            err.println("tollgate: demo failed: " + e);
            return ExitCode.FAILURE;
        }
    }
}
