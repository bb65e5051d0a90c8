package dev.tollgate.core.usage;

/**
 * Where a {@link JsonScanner} sends the tokens it reads. The {@link JsonValue} passed is the
 * scanner's own, valid only during the call. {@link JsonWalker} is the implementation; tests add
 * others.
 */
interface JsonTokens {

    /** An object or array opens ({@code value.kind()} says which). */
    void open(JsonValue value);

    /**
     * The innermost object or array closes.
     *
     * @param lastByteFed whether its bracket was the last byte of the input fed so far
     */
    void close(boolean lastByteFed);

    /** A field name inside an object (a string, escapes undecoded). */
    void name(JsonValue name);

    /** A string, number, boolean or null. */
    void scalar(JsonValue value);

    /**
     * Whether the string value that starts now will be read: only then does the scanner keep the
     * parts of it that arrive in earlier pieces of input.
     */
    boolean wantsNextValue();
}
