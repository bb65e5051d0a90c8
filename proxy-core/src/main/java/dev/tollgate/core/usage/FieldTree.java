package dev.tollgate.core.usage;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The paths of a JSON document that a {@link JsonWalker} reports; everything else is skipped
 * without being materialised. A node names the fields of an object value it descends into, the
 * node for the elements of an array value, and an optional id under which its own value is
 * reported to a {@link JsonVisitor} ({@link #NONE}: descend without reporting).
 *
 * <p>Trees are built once, in static initialisers, and never changed afterwards, so one tree is
 * safely shared by every walker on every thread. They may be recursive (a node may be its own
 * descendant), as the prompt-text selection of a request is.
 *
 * <pre>{@code
 * static final FieldTree ROOT = FieldTree.node(ROOT_ID)
 *         .field("model", FieldTree.node(MODEL))
 *         .field("usage", FieldTree.node(USAGE).field("prompt_tokens", FieldTree.node(PROMPT)));
 * }</pre>
 */
final class FieldTree {

    /** The id of a node that is descended into but not reported. */
    static final int NONE = 0;

    private final int id;
    private final Map<String, FieldTree> fields = new HashMap<>();
    private @Nullable FieldTree anyField;
    private @Nullable FieldTree elements;

    private FieldTree(int id) {
        this.id = id;
    }

    static FieldTree node(int id) {
        return new FieldTree(id);
    }

    /** Selects the field {@code name} of this node's object value. Build time only. */
    FieldTree field(String name, FieldTree child) {
        fields.put(name, child);
        return this;
    }

    /** Selects the same node under several field names. Build time only. */
    FieldTree fields(FieldTree child, String... names) {
        for (String name : names) {
            fields.put(name, child);
        }
        return this;
    }

    /** Selects every field that {@link #field} does not name. Build time only. */
    FieldTree anyField(FieldTree child) {
        this.anyField = child;
        return this;
    }

    /** Selects every element of this node's array value. Build time only. */
    FieldTree elements(FieldTree child) {
        this.elements = child;
        return this;
    }

    int id() {
        return id;
    }

    /** The node of field {@code name}, or null to skip its value. */
    @Nullable FieldTree child(String name) {
        FieldTree child = fields.get(name);
        return child != null ? child : anyField;
    }

    /** The node of each array element, or null to skip them. */
    @Nullable FieldTree elements() {
        return elements;
    }
}
