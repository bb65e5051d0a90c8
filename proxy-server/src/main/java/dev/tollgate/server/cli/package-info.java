/**
 * The command line (CONTRACT.md §2), without a CLI library: {@link dev.tollgate.server.cli.Cli} picks the command
 * ({@code serve} by default, {@code check-config}, {@code keygen}; {@code demo} and {@code report} are announced
 * as unavailable in this build), parses {@code --name value} options, and maps the outcome to an exit code:
 * 0 success, 1 bad config or failure, 2 usage error. Output streams, the environment, randomness and the
 * server itself ({@link dev.tollgate.server.cli.ServerLauncher}) are passed in, so every command runs in tests
 * without a process or a socket. A bad config prints its one-line {@code file:line:column: key: problem}
 * message, never a stack trace.
 */
@NullMarked
package dev.tollgate.server.cli;

import org.jspecify.annotations.NullMarked;
