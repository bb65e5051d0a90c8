package dev.tollgate.server.cli;

/** Process exit codes of every command. */
public final class ExitCode {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** A bad config, or the server failed. */
    public static final int FAILURE = 1;
    /** Unknown command or option, missing option value, {@code --help}, or a command this build lacks. */
    public static final int USAGE = 2;

    private ExitCode() {}
}
