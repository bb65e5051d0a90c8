package dev.tollgate.core.usage;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Receives the selected values of a document from a {@link JsonWalker}, identified by the ids of
 * their {@link FieldTree} nodes. The parser is positioned on the value's token and may be read
 * (text, numbers) but must not be advanced.
 */
interface JsonVisitor {

    /** A scalar (string, number, boolean, null) at a node with this id. */
    void value(int id, JsonParser p) throws IOException;

    /** An object or array opens at a node with this id ({@code p.currentToken()} says which). */
    void start(int id, JsonParser p) throws IOException;

    /** The object or array that {@link #start} announced closes. */
    void end(int id, JsonParser p) throws IOException;
}
