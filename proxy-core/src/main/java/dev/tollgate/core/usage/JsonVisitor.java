package dev.tollgate.core.usage;

/**
 * Receives the selected values of a document from a {@link JsonWalker}, identified by the ids of
 * their {@link FieldTree} nodes. The {@link JsonValue} is lent for the call only.
 */
interface JsonVisitor {

    /** A scalar (string, number, boolean, null) at a node with this id. */
    void value(int id, JsonValue value);

    /** An object or array opens at a node with this id ({@code value.kind()} says which). */
    void start(int id, JsonValue value);

    /** The object or array that {@link #start} announced closes. */
    void end(int id);
}
