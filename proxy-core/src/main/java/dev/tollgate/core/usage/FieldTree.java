package dev.tollgate.core.usage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** Field names as UTF-8, each beside its node: a handful per node, compared by length first. */
    private byte[][] names = new byte[0][];
    private FieldTree[] children = new FieldTree[0];
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
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(names[i], utf8)) {
                children[i] = child;
                return this;
            }
        }
        names = Arrays.copyOf(names, names.length + 1);
        children = Arrays.copyOf(children, children.length + 1);
        names[names.length - 1] = utf8;
        children[children.length - 1] = child;
        return this;
    }

    /** Selects the same node under several field names. Build time only. */
    FieldTree fields(FieldTree child, String... names) {
        for (String name : names) {
            field(name, child);
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

    /** The node of the field named by the UTF-8 bytes {@code name[from, to)}, or null to skip its value. */
    @Nullable FieldTree child(byte[] name, int from, int to) {
        int length = to - from;
        for (int i = 0; i < names.length; i++) {
            if (names[i].length == length && sameBytes(names[i], name, from)) {
                return children[i];
            }
        }
        return anyField;
    }

    /** Names are a few bytes long: a plain loop beats {@code Arrays.equals} and its range checks. */
    private static boolean sameBytes(byte[] candidate, byte[] name, int from) {
        for (int k = 0; k < candidate.length; k++) {
            if (candidate[k] != name[from + k]) {
                return false;
            }
        }
        return true;
    }

    /** The node of a field whose name this tree cannot have selected (it was too long to keep). */
    @Nullable FieldTree anyField() {
        return anyField;
    }

    /** The node of each array element, or null to skip them. */
    @Nullable FieldTree elements() {
        return elements;
    }
}
