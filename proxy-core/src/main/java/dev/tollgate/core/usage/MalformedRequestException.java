package dev.tollgate.core.usage;

/**
 * A request body that cannot be read as a JSON object: invalid JSON or UTF-8, a top-level value
 * that is not an object, data after it, or no body at all. The server answers 400 with
 * {@link #getMessage()}, which is safe to send to the client: it says what is wrong and at which
 * byte, and never echoes any of the body's content.
 */
public final class MalformedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long byteOffset;

    /**
     * @param problem    what is wrong, in words that quote nothing from the body
     * @param byteOffset the offset of the offending byte in the body, or -1 when it has no place
     *                   (an empty body)
     */
    public MalformedRequestException(String problem, long byteOffset) {
        super(byteOffset >= 0 ? problem + " at byte offset " + byteOffset : problem);
        this.byteOffset = byteOffset;
    }

    /** The offset of the offending byte in the request body, or -1 when the problem has no place. */
    public long byteOffset() {
        return byteOffset;
    }
}
