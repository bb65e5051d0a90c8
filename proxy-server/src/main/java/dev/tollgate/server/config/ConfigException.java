package dev.tollgate.server.config;

import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used. The message is meant for the person editing the file and reads
 * {@code <source>:<line>:<column>: <key path>: <problem>}, for example
 * <pre>{@code tollgate.yaml:14:7: routes[1].provider: 'opneai' (expected: openai, anthropic, openai-compatible or ollama)}</pre>
 * Parts that do not apply are left out ({@code missing.yaml: file not found}). It never carries a secret:
 * values of {@code api_key}, {@code admin_token} and {@code keys} are not quoted back.
 *
 * <p>Unchecked, because it is thrown from deep inside validation; callers that must survive a bad file
 * (startup, {@code POST /admin/reload}) catch it explicitly.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String path;
    private final String problem;

    /**
     * @param line 1-based, or 0 when unknown
     * @param column 1-based, or 0 when unknown
     * @param path dotted key path such as {@code routes[1].provider}, or {@code ""} for the whole file
     */
    public ConfigException(String source, int line, int column, String path, String problem,
            @Nullable Throwable cause) {
        super(format(source, line, column, path, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.path = path;
        this.problem = problem;
    }

    /** The file path as given, or {@link ProxyConfig#EMBEDDED_DEFAULT}. */
    public String source() {
        return source;
    }

    /** 1-based line of the offending value or key, 0 when the problem has no position. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }

    /** The dotted key path, {@code ""} when the problem concerns the whole file. */
    public String path() {
        return path;
    }

    /** The problem alone, without position and path. */
    public String problem() {
        return problem;
    }

    private static String format(String source, int line, int column, String path, String problem) {
        var message = new StringBuilder(source);
        if (line > 0) {
            message.append(':').append(line);
            if (column > 0) {
                message.append(':').append(column);
            }
        }
        message.append(": ");
        if (!path.isEmpty()) {
            message.append(path).append(": ");
        }
        return message.append(problem).toString();
    }
}
