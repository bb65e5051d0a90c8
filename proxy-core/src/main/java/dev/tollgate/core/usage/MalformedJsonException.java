package dev.tollgate.core.usage;

/**
 * Bytes a {@link JsonScanner} refused. The message names the problem and never quotes the input
 * (it may hold a prompt or a key); {@link #byteOffset()} says where it is. No stack trace is taken:
 * a bad upstream can send one per event.
 */
final class MalformedJsonException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    enum Problem {
        /** Not JSON: an unexpected byte. */
        SYNTAX,
        /** A string held bytes that are not UTF-8. */
        UTF8,
        /** Nesting or a number longer than the scanner accepts. */
        LIMIT,
        /** The input ended inside a value. */
        TRUNCATED,
    }

    private final Problem problem;
    private final long byteOffset;

    MalformedJsonException(Problem problem, String message, long byteOffset) {
        super(message + " at byte offset " + byteOffset, null, false, false);
        this.problem = problem;
        this.byteOffset = byteOffset;
    }

    Problem problem() {
        return problem;
    }

    /** The offset of the offending byte in the whole input; for {@link Problem#TRUNCATED}, the input's length. */
    long byteOffset() {
        return byteOffset;
    }
}
