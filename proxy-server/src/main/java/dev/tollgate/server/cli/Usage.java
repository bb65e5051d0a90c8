package dev.tollgate.server.cli;

/** The text {@code --help} and usage errors print. */
final class Usage {

    static final String TEXT = String.join("\n",
            "Usage: java -jar tollgate.jar [COMMAND] [OPTIONS]",
            "",
            "Commands:",
            "  serve [--config FILE]         run the proxy (the default command); without --config,",
            "                                the embedded default config",
            "  check-config [--config FILE]  validate a config and print it resolved, secrets masked;",
            "                                exit 0 when valid, 1 when not",
            "  keygen --tenant ID            print a new virtual key and the hash line for the tenant's",
            "                                'keys' in the config",
            "  demo                          serve with a simulated upstream and sample traffic",
            "  report --ledger PATH --from DATE --to DATE [--group-by tenant,model] [--format csv|json|table]",
            "                                totals from the ledger: --from inclusive, --to exclusive (UTC);",
            "                                group by tenant, model, provider, route, endpoint, outcome, day,",
            "                                month or tag:KEY",
            "  help                          print this text",
            "",
            "${NAME} and ${NAME:-default} in the config are read from the environment.",
            "Exit codes: 0 success, 1 bad config or failure, 2 usage error.",
            "");

    private Usage() {}
}
