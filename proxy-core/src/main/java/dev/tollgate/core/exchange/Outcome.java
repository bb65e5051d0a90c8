package dev.tollgate.core.exchange;

/** How a request ended: the ledger's {@code outcome}. */
public enum Outcome {
    /** The upstream answered with a 2xx or 3xx and the response reached the client whole. */
    OK("ok"),
    /** The upstream answered with an error status, or could not be reached. */
    UPSTREAM_ERROR("upstream_error"),
    /** The proxy refused the request itself (auth, budget, size, bad request). */
    REJECTED("rejected"),
    /** The client went away before the response was complete. */
    CLIENT_ABORTED("client_aborted"),
    /** The upstream sent nothing for longer than the idle timeout. */
    TIMEOUT("timeout");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
