package dev.tollgate.server.cli;

/** The command line itself is wrong; {@link Cli} prints the message and the usage, and exits with 2. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
